/**
 * A copy of `text` that refers to no longer string. V8 keeps a whole string alive for any slice of it of 13
 * characters or more, so a 200-character sample of a 1 MB line, kept, would keep the megabyte. For text kept
 * beyond the reading of its line. (JSON keeps every UTF-16 unit, lone surrogates included.)
 */
export const ownCopy = (text: string): string => (text.length < 13 ? text : (JSON.parse(JSON.stringify(text)) as string))
