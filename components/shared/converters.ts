import type { ComplexAttributeConverter } from 'lit';

/**
 * The one rule for on/off attributes: present means on, unless it says `false`, `off`, `no` or `0`
 * (any case, spaces around ignored).
 */
export function attributeOn(value: string): boolean {
  return !/^(off|false|0|no)$/i.test(value.trim());
}

/** A boolean attribute (`register`, `auto-join`, `compact`…): absent is false, else {@link attributeOn}. */
export const booleanAttribute: ComplexAttributeConverter<boolean> = {
  fromAttribute: (value: string | null): boolean => value !== null && attributeOn(value),
  toAttribute: (value: boolean): string | null => (value ? '' : null),
};
