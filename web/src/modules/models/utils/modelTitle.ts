// A model's name in the console's language. The server's English names are lower case, as
// glosses beside the Chinese ones (「生命周期（lifecycle）」); standing alone as a title, they start with a capital.
export function modelTitle(model: { name: string; english: string }, lang: string): string {
  return lang === 'en-US' ? model.english.charAt(0).toUpperCase() + model.english.slice(1) : model.name;
}
