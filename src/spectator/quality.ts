// The spectator's receive quality: an option the client checks when it is set (settings), apart from
// the receive leg itself (leg.ts), which only a running spectator call needs.

/** The receive quality a spectator asks for; `auto` (the default) goes out as `high`. */
export type LegQuality = 'low' | 'medium' | 'high' | 'auto';
export const LEG_QUALITIES: readonly LegQuality[] = ['low', 'medium', 'high', 'auto'];

export function parseLegQuality(value: unknown): LegQuality {
  const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
  return (LEG_QUALITIES as readonly string[]).includes(text) ? (text as LegQuality) : 'auto';
}
