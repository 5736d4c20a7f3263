#!/usr/bin/env node
/* global console, process -- a Node script */
// Writes docs/reference.md, the element reference, from custom-elements.json (and the colour tokens from
// components/shared/tokens.styles.ts), with each element's screenshot from docs/screenshots/ when there.
//   node scripts/generate-docs.mjs           write docs/reference.md
//   node scripts/generate-docs.mjs --check   fail when docs/reference.md is stale (npm test runs this)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    manifest: { type: 'string', default: 'custom-elements.json' },
    tokens: { type: 'string', default: 'components/shared/tokens.styles.ts' },
    out: { type: 'string', default: 'docs/reference.md' },
  },
});

/** Lifecycle and framework methods that are public in JavaScript but not part of the element's API. */
const NOT_API = new Set(['connectedCallback', 'disconnectedCallback', 'attributeChangedCallback', 'render', 'updated', 'willUpdate', 'firstUpdated']);
const ORDER = ['vinteo-session', 'vinteo-call', 'vinteo-presentation', 'vinteo-stats', 'vinteo-dialpad', 'vinteo-devices'];

const cell = (text) => (text ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|').trim() || '—';
const code = (text) => (text ? `\`${String(text).replace(/`/g, "'").replace(/\|/g, '\\|')}\`` : '—');

function table(head, rows) {
  if (rows.length === 0) return '';
  return `| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|\n${rows.map((row) => `| ${row.join(' | ')} |`).join('\n')}\n\n`;
}

/** The colour tokens and their light and dark defaults, read from the token file's table. */
export function colourTokens(source) {
  const tokens = [];
  for (const match of source.matchAll(/\{\s*name:\s*'([\w-]+)',\s*short:\s*'[\w-]+',\s*light:\s*'(#[0-9a-fA-F]+)',\s*dark:\s*'(#[0-9a-fA-F]+)'\s*\}/g)) {
    tokens.push({ name: `--vinteo-color-${match[1]}`, light: match[2], dark: match[3] });
  }
  const others = [...source.matchAll(/var\((--vinteo-(?!color-)[\w-]+),\s*([^;]+?)\);/g)].map((match) => ({ name: match[1], value: match[2].trim() }));
  return { colours: tokens, others };
}

function elementSection(element) {
  const tag = element.tagName;
  let out = `## \`<${tag}>\`\n\n`;
  if (existsSync(`docs/screenshots/${tag}.png`)) out += `![<${tag}>](screenshots/${tag}.png)\n\n`;
  if (element.summary) out += `**${element.summary.trim()}**\n\n`;
  if (element.description) out += `${element.description.trim()}\n\n`;
  const attributes = element.attributes ?? [];
  const fields = (element.members ?? []).filter((m) => m.kind === 'field' && !m.static && (m.privacy ?? 'public') === 'public');
  const byField = new Map(fields.map((field) => [field.name, field]));
  out += '### Attributes\n\n';
  out += table(
    ['attribute', 'property', 'type', 'default', 'meaning'],
    attributes.map((a) => [code(a.name), code(a.fieldName), code(a.type?.text ?? byField.get(a.fieldName)?.type?.text ?? 'string'), code(a.default), cell(a.description)]),
  );
  const withAttribute = new Set(attributes.map((a) => a.fieldName).filter(Boolean));
  const properties = fields.filter((f) => !withAttribute.has(f.name) && !f.attribute);
  if (properties.length > 0) {
    out += '### Properties (no attribute)\n\n';
    out += table(['property', 'type', 'meaning'], properties.map((p) => [code(p.name) + (p.readonly ? ' (read-only)' : ''), code(p.type?.text), cell(p.description)]));
  }
  const methods = (element.members ?? []).filter((m) => m.kind === 'method' && !m.static && (m.privacy ?? 'public') === 'public' && !NOT_API.has(m.name));
  if (methods.length > 0) {
    out += '### Methods\n\n';
    out += table(
      ['method', 'returns', 'meaning'],
      methods.map((m) => [code(`${m.name}(${(m.parameters ?? []).map((p) => `${p.name}: ${p.type?.text ?? 'unknown'}`).join(', ')})`), code(m.return?.type?.text ?? 'void'), cell(m.description)]),
    );
  }
  if ((element.events ?? []).length > 0) {
    out += '### Events\n\n';
    out += table(['event', 'class', 'meaning'], element.events.map((e) => [code(e.name), code(e.type?.text), cell(e.description)]));
  }
  if ((element.cssParts ?? []).length > 0) {
    out += '### CSS parts\n\n';
    out += table(['part', 'meaning'], element.cssParts.map((p) => [code(p.name), cell(p.description)]));
  }
  if ((element.cssProperties ?? []).length > 0) {
    out += '### CSS custom properties\n\n';
    out += table(['property', 'meaning'], element.cssProperties.map((p) => [code(p.name), cell(p.description)]));
  }
  if ((element.slots ?? []).length > 0) {
    out += '### Slots\n\n';
    out += table(['slot', 'meaning'], element.slots.map((s) => [s.name ? code(s.name) : '(default)', cell(s.description)]));
  }
  return out;
}

export function reference(manifest, tokenSource) {
  const elements = manifest.modules
    .flatMap((mod) => mod.declarations ?? [])
    .filter((d) => d.customElement && d.tagName)
    .sort((a, b) => ORDER.indexOf(a.tagName) - ORDER.indexOf(b.tagName) || a.tagName.localeCompare(b.tagName));
  const { colours, others } = colourTokens(tokenSource);
  let out = `<!-- Generated by scripts/generate-docs.mjs from custom-elements.json: do not edit (npm run docs). -->
# Element reference

Every element, attribute, property, method, event, CSS part and custom property, generated from
\`custom-elements.json\` (itself generated from the elements' JSDoc). The screenshots are taken from the demo
in Chromium by \`node scripts/screenshot.mjs\`.

${elements.map((e) => `- [\`<${e.tagName}>\`](#${e.tagName}): ${cell(e.summary)}`).join('\n')}
- [Design tokens](#design-tokens)

## Common to the visual elements

- **Language**: \`lang\` (the element's, else the nearest ancestor's, else the document's; \`ru*\` is Russian, anything
  else English). Every label can be overridden by a \`label-*\` attribute (the label's key in kebab case:
  \`label-join="Подключиться"\`) or the \`labels\` property (\`{ join: 'Подключиться' }\`, which wins). The keys are
  those of \`components/shared/i18n.ts\`.
- **Theme**: \`theme="light"\` or \`theme="dark"\`; without it the element follows \`prefers-color-scheme\`.
- Every event bubbles and is composed; \`detail\` is typed and frozen.

`;
  for (const element of elements) out += elementSection(element);
  out += '## Design tokens\n\nSet them on the element or on any ancestor (custom properties inherit into the shadow roots).\n\n';
  out += table(['custom property', 'light default', 'dark default'], colours.map((t) => [code(t.name), code(t.light), code(t.dark)]));
  out += table(['custom property', 'default'], others.map((t) => [code(t.name), code(t.value)]));
  return out.replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const manifest = JSON.parse(readFileSync(values.manifest, 'utf8'));
  const fresh = reference(manifest, readFileSync(values.tokens, 'utf8'));
  if (values.check) {
    const current = existsSync(values.out) ? readFileSync(values.out, 'utf8') : '';
    if (current !== fresh) {
      console.error(`${values.out} is stale: run "npm run docs" and commit the result.`);
      process.exit(1);
    }
    console.log(`${values.out} is up to date`);
  } else {
    mkdirSync(dirname(values.out), { recursive: true });
    writeFileSync(values.out, fresh);
    console.log(`wrote ${values.out}`);
  }
}
