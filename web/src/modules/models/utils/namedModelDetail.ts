// The server's problems about a model name it by its key (模型「rfm」), as an API caller writes
// it; the console's reader knows the model by the name the Models page gives it (RFM等级, “RFM level”),
// so the console names it so in every problem it shows.

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The detail of a problem about a model (MODEL_INVALID, TAG_SET_BY_MODEL, …) with the model named as
 * the console names it (`models`, each with its title in the console's language), by the words the
 * server's messages put around its key in each language.
 */
export function namedModelDetail(detail: string, models: readonly { key: string; title: string }[]): string {
  let named = detail;
  for (const model of models) {
    const key = escaped(model.key);
    const title = model.title;
    named = named
      .replace(new RegExp(`模型「${key}」`, 'g'), `模型「${title}」`)
      .replace(new RegExp(`模型 ${key}(?=，)`, 'g'), `模型「${title}」`)
      .replace(new RegExp(`Model "${key}"`, 'g'), `Model “${title}”`)
      .replace(new RegExp(`the model ${key}(?=,)`, 'g'), `the model “${title}”`);
  }
  return named;
}
