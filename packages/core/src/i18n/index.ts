export { Messages, BUILT_IN_CATALOGS, type MessageKey, type Catalog, type MessageParams, type Translate, type Translator, type MessagesOptions } from './messages.js';
export type { MessageValue, PluralMessage, AreaMessages } from './message-value.js';
export { negotiateLocale } from './negotiate-locale.js';
