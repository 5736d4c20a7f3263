/** The lowest and highest user part of a guest (an unregistered caller): a new one per connection. */
export const GUEST_MIN = 100_000;
export const GUEST_MAX = 99_999_998;

/** A random guest user part, from {@link GUEST_MIN} to {@link GUEST_MAX}. */
export function randomGuestUser(): string {
  const span = GUEST_MAX - GUEST_MIN + 1;
  const words = new Uint32Array(1);
  // Rejection sampling keeps every id equally likely.
  const limit = Math.floor(0x1_0000_0000 / span) * span;
  do crypto.getRandomValues(words);
  while (words[0]! >= limit);
  return String(GUEST_MIN + (words[0]! % span));
}
