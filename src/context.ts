import { createContext } from '@lit/context';
import type { VinteoClient } from './client.js';

/** The Lit context key under which `<vinteo-session>` provides its {@link VinteoClient}. */
export const vinteoClientContext = createContext<VinteoClient | undefined>(Symbol.for('vinteo-client'));
