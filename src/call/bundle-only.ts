/**
 * The local SDP as SIP servers read it. Firefox writes an m-line it adds to an established BUNDLE group (the
 * presentation's, protocol §8) with port 0 and `a=bundle-only` (RFC 8843 §6); a server that does not know
 * bundle-only reads port 0 as a rejected m-line. Such m-lines get the port of the group's first m-line with a
 * port (the transport they share anyway) and lose `a=bundle-only`. SDP without bundle-only (Chromium's) is
 * returned unchanged.
 */
export function withoutBundleOnly(sdp: string): string {
  if (!/^a=bundle-only\s*$/m.test(sdp)) return sdp;
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(eol);
  const group = lines.find((line) => line.startsWith('a=group:BUNDLE'));
  const bundled = new Set(group ? group.slice('a=group:BUNDLE'.length).trim().split(/\s+/) : []);

  // Sections: [start, end) line ranges of each m-line.
  const starts = lines.flatMap((line, index) => (line.startsWith('m=') ? [index] : []));
  const sections = starts.map((start, i) => {
    const end = starts[i + 1] ?? lines.length;
    const body = lines.slice(start, end);
    const mid = body.find((line) => line.startsWith('a=mid:'))?.slice('a=mid:'.length).trim();
    const port = Number(lines[start]!.split(' ')[1]);
    return { start, end, mid, port, bundleOnly: body.some((line) => /^a=bundle-only\s*$/.test(line)) };
  });
  const transport = sections.find((s) => s.mid !== undefined && bundled.has(s.mid) && s.port !== 0 && !s.bundleOnly);
  if (!transport) return sdp;

  const drop = new Set<number>();
  for (const section of sections) {
    if (!section.bundleOnly || section.port !== 0 || section.mid === undefined || !bundled.has(section.mid)) continue;
    const parts = lines[section.start]!.split(' ');
    parts[1] = String(transport.port);
    lines[section.start] = parts.join(' ');
    for (let index = section.start; index < section.end; index += 1) if (/^a=bundle-only\s*$/.test(lines[index]!)) drop.add(index);
  }
  return lines.filter((_, index) => !drop.has(index)).join(eol);
}
