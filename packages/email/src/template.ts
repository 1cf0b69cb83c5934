/** Values a template's `{name}` placeholders are filled from. */
export type TemplateValues = Readonly<Record<string, string | number>>;

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes a value for HTML text and attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]!);
}

/**
 * Replaces each `{name}` in `template` with its value, passed through `escape`; placeholders
 * without a value are left as they are.
 */
export function fillTemplate(template: string, values: TemplateValues, escape: (value: string) => string = String): string {
  return template.replace(PLACEHOLDER, (placeholder, name: string) =>
    Object.hasOwn(values, name) ? escape(String(values[name])) : placeholder,
  );
}
