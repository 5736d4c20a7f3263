/** Line breaks and every other control character (U+0000–U+001F, U+007F): never in a SIP header or URI. */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
