// The generated React and Vue declarations (dist/types/react.d.ts, vue.d.ts) type-check a small usage
// through the package's own exports (`vinteo-widgets/react`, `vinteo-widgets/vue`), with tsc. React and
// Vue are not dependencies: minimal stand-ins of their type shapes (React 19's JSX namespace in module
// 'react' and react/jsx-runtime; Vue's GlobalComponents and HTMLAttributes) are written next to it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';

const FILES = {
  'tsconfig.json': JSON.stringify(
    {
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        jsx: 'react-jsx',
        strict: true,
        noEmit: true,
        types: [],
        // As in most projects: JsSIP's own declarations need @types/debug and @types/events otherwise. A
        // broken generated declaration still shows: its types turn into errors or \`any\`, and then the
        // @ts-expect-error lines below fail.
        skipLibCheck: true,
        paths: {
          react: ['./stubs/react/index.d.ts'],
          'react/jsx-runtime': ['./stubs/react/jsx-runtime.d.ts'],
          vue: ['./stubs/vue/index.d.ts'],
        },
      },
      files: ['usage-react.tsx', 'usage-vue.ts'],
    },
    null,
    2,
  ),
  'stubs/react/index.d.ts': `export = React;
export as namespace React;
declare namespace React {
  type Key = string | number | bigint;
  interface Attributes { key?: Key | null | undefined }
  interface RefObject<T> { current: T }
  interface RefAttributes<T> extends Attributes { ref?: ((instance: T | null) => void) | RefObject<T | null> | null | undefined }
  interface ClassAttributes<T> extends RefAttributes<T> {}
  type DetailedHTMLProps<E extends HTMLAttributes<T>, T> = ClassAttributes<T> & E;
  interface DOMAttributes<T> { children?: unknown; onClick?: ((event: MouseEvent & { currentTarget: T }) => void) | undefined }
  interface HTMLAttributes<T> extends DOMAttributes<T> {
    className?: string | undefined;
    id?: string | undefined;
    lang?: string | undefined;
    hidden?: boolean | undefined;
    style?: Record<string, string | number> | undefined;
  }
  namespace JSX {
    type ElementType = string | ((props: any) => unknown);
    interface Element { type: unknown; props: unknown; key: Key | null }
    interface ElementClass { render(): unknown }
    interface ElementAttributesProperty { props: {} }
    interface ElementChildrenAttribute { children: {} }
    interface IntrinsicAttributes extends React.Attributes {}
    interface IntrinsicClassAttributes<T> extends React.ClassAttributes<T> {}
    interface IntrinsicElements { div: DetailedHTMLProps<HTMLAttributes<HTMLDivElement>, HTMLDivElement> }
  }
}
`,
  'stubs/react/jsx-runtime.d.ts': `import * as React from './index.js';
export namespace JSX {
  type ElementType = React.JSX.ElementType;
  interface Element extends React.JSX.Element {}
  interface ElementClass extends React.JSX.ElementClass {}
  interface ElementAttributesProperty extends React.JSX.ElementAttributesProperty {}
  interface ElementChildrenAttribute extends React.JSX.ElementChildrenAttribute {}
  interface IntrinsicAttributes extends React.JSX.IntrinsicAttributes {}
  interface IntrinsicClassAttributes<T> extends React.JSX.IntrinsicClassAttributes<T> {}
  interface IntrinsicElements extends React.JSX.IntrinsicElements {}
}
export function jsx(type: unknown, props: unknown, key?: unknown): React.JSX.Element;
export function jsxs(type: unknown, props: unknown, key?: unknown): React.JSX.Element;
export const Fragment: unique symbol;
`,
  'stubs/vue/index.d.ts': `export interface GlobalComponents {}
export interface HTMLAttributes {
  id?: string | undefined;
  class?: unknown;
  style?: unknown;
  lang?: string | undefined;
  onClick?: ((event: MouseEvent) => void) | undefined;
}
`,
  'usage-react.tsx': `import type {} from 'vinteo-widgets/react';
import { VinteoClient, type VinteoCall } from 'vinteo-widgets';

const client = new VinteoClient({ server: 'vinteo.example.com' });
let last: VinteoCall | null = null;

export const page = (
  <vinteo-session server="vinteo.example.com" credentials-url="/my-account/sip" auto-connect lang="ru">
    <vinteo-call
      id="call"
      conference="1000"
      auto-join
      label-join="Подключиться"
      labels={{ leave: 'Уйти' }}
      ref={(el) => (last = el)}
      onvinteo-call-accepted={(event) => console.log(event.detail.conference.toUpperCase())}
      onvinteo-error={(event) => console.log(event.detail.reason, event.detail.message)}
    />
    <vinteo-stats compact theme="dark" onvinteo-stats={(event) => event.detail.quality.level} />
    <vinteo-dialpad for="call" onvinteo-dtmf={(event) => event.detail.tones} />
    <vinteo-devices client={client} />
    <vinteo-presentation for="call" max-bitrate="1500000" />
  </vinteo-session>
);

export const credentials = <vinteo-call credentials={async () => ({ user: '1001', password: await (await fetch('/sip')).text() })} />;

// @ts-expect-error: conference is a string attribute
export const wrongType = <vinteo-call conference={1000} />;
// @ts-expect-error: no such attribute
export const misspelt = <vinteo-call conferense="1000" />;
// @ts-expect-error: the event detail is typed
export const wrongDetail = <vinteo-call onvinteo-call-accepted={(event) => event.detail.nothing} />;
// @ts-expect-error: theme is light or dark
export const wrongTheme = <vinteo-stats theme="blue" />;
export { last };
`,
  'usage-vue.ts': `import type { GlobalComponents } from 'vue';
import type {} from 'vinteo-widgets/vue';

type Props<Tag extends keyof GlobalComponents> = InstanceType<GlobalComponents[Tag]>['$props'];

export const call: Props<'vinteo-call'> = {
  conference: '1000',
  'auto-join': true,
  'label-join': 'Подключиться',
  labels: { leave: 'Уйти' },
  onVinteoCallAccepted: (event) => event.detail.conference,
  onVinteoError: (event) => event.detail.reason,
};
export const session: Props<'vinteo-session'> = { server: 'vinteo.example.com', 'credentials-url': '/sip', onVinteoConnectionChange: (event) => event.detail.state };
export const element: HTMLElementTagNameMap['vinteo-dialpad'] = document.createElement('vinteo-dialpad');

// @ts-expect-error: conference is a string attribute
export const wrongType: Props<'vinteo-call'> = { conference: 1000 };
// @ts-expect-error: the event detail is typed
export const wrongDetail: Props<'vinteo-dialpad'> = { onVinteoDtmf: (event) => event.detail.digits };
`,
};

test('React (JSX) and Vue usages type-check against the generated declarations', () => {
  for (const file of ['dist/types/react.d.ts', 'dist/types/vue.d.ts', 'dist/types/index.d.ts']) {
    assert.ok(existsSync(file), `${file} is missing: run npm run build`);
  }
  mkdirSync('.vinteo-tmp', { recursive: true });
  const dir = mkdtempSync(join('.vinteo-tmp', 'framework-types-'));
  try {
    for (const [name, content] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    try {
      execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      assert.fail(`tsc found errors:\n${error.stdout}${error.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
