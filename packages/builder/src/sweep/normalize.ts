/**
 * IOC normalisation for sweeps: detect the kind of each entry, undo defanging, put it in the canonical form the
 * events carry (lower-case hex, canonical IP text, lower-case punycode domains, WHATWG-normalised URLs), and say
 * why an entry was refused.
 */
import ipaddr from 'ipaddr.js';

export type IocKind = 'sha1' | 'sha256' | 'md5' | 'ip' | 'domain' | 'url' | 'path';

/** Kinds in the order sweeps list them. */
export const iocKinds: readonly IocKind[] = ['sha256', 'sha1', 'md5', 'ip', 'domain', 'url', 'path'];

export type Normalized = { readonly kind: IocKind; readonly value: string } | { readonly reason: string };

const hashLengths: Readonly<Record<number, IocKind>> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };
const hashLength: Readonly<Record<string, number>> = { md5: 32, sha1: 40, sha256: 64 };
// Printable text only: a control character in an IOC is a copy-paste accident, not an indicator.
const controlChars = /\p{Cc}/u;
const domainName = /^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

// Extensions of executables and scripts that are no top-level domain: `mimikatz.exe` is a file, not a host.
const fileExtension = /\.(?:exe|dll|sys|scr|bat|cmd|vbs|vbe|hta|lnk|msi|js|jse|wsf|tmp)$/;

/** `evil[.]com`, `hxxps://`, `1.2.3[.]4`: the common defanging notations, undone. */
export function refang(text: string): string {
  return text
    .replace(/\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)/gi, '.')
    .replace(/\[:\]/g, ':')
    .replace(/\[\/\/\]/g, '//')
    .replace(/^hxxp(s?)(?=:|\[:\])/i, 'http$1')
    .replace(/^fxp(?=:)/i, 'ftp');
}

function hash(text: string, kind: IocKind | undefined): Normalized {
  if (!/^[0-9a-f]+$/i.test(text)) return { reason: `not a hexadecimal ${kind ?? 'hash'}` };
  const detected = hashLengths[text.length];
  if (!detected)
    return { reason: `hex string of length ${text.length} is not an MD5 (32), SHA-1 (40) or SHA-256 (64)` };
  if (kind && kind !== detected) {
    return { reason: `${text.length} hex digits is a ${detected}, not a ${kind} (${hashLength[kind]} digits)` };
  }
  return { kind: detected, value: text.toLowerCase() };
}

function ip(text: string): Normalized {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (bare.includes('/')) {
    return ipaddr.isValidCIDR(bare)
      ? { reason: 'a CIDR range: S1QL 1.0 has no range match on IP fields; list the addresses or use StartsWith' }
      : { reason: 'not an IP address' };
  }
  if (!ipaddr.isValid(bare)) return { reason: 'not an IP address' };
  const addr = ipaddr.parse(bare);
  if (addr.kind() === 'ipv4') {
    // Reject `127.1`, `0x7f.0.0.1`, `010.0.0.1`: valid to inet_aton, ambiguous to people and never in telemetry.
    if (!ipaddr.IPv4.isValidFourPartDecimal(bare))
      return { reason: 'IPv4 must be four decimal parts without leading zeros' };
    return { kind: 'ip', value: addr.toString() };
  }
  const v6 = addr as ipaddr.IPv6;
  return { kind: 'ip', value: v6.isIPv4MappedAddress() ? v6.toIPv4Address().toString() : v6.toRFC5952String() };
}

function domain(text: string): Normalized {
  const lowered = text.toLowerCase().replace(/\.$/, '');
  let host: string;
  try {
    host = new URL(`http://${lowered}/`).hostname; // punycode for IDNs, and rejects what no host can be
  } catch {
    return { reason: 'not a domain name' };
  }
  if (host !== lowered && !/\P{ASCII}/u.test(lowered)) return { reason: 'not a domain name' };
  if (!domainName.test(host)) return { reason: 'not a domain name' };
  return { kind: 'domain', value: host };
}

const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i;

function url(text: string): Normalized {
  // `evil.com/gate.php` (feeds often drop the scheme): read as http, then searched without it, so any scheme matches.
  const schemeless = !hasScheme.test(text);
  let parsed: URL;
  try {
    parsed = new URL(schemeless ? `http://${text}` : text);
  } catch {
    return { reason: 'not a valid URL' };
  }
  if (parsed.host === '') return { reason: 'a URL without a host' };
  // `http://evil.com` and `http://evil.com/` are the same resource; the shorter text matches both spellings.
  const href =
    parsed.pathname === '/' && parsed.search === '' && parsed.hash === '' ? parsed.href.slice(0, -1) : parsed.href;
  return { kind: 'url', value: schemeless ? href.slice('http://'.length) : href };
}

function path(text: string): Normalized {
  if (text.endsWith('\\')) {
    return {
      reason:
        'ends in a backslash, which S1QL 1.0 cannot write (\\" is an escaped quote); ' +
        'drop it and sweep the directory with StartsWith, or use RegExp',
    };
  }
  return { kind: 'path', value: text };
}

/** Detects (kind `auto` or undefined) or checks the kind of one trimmed, non-empty entry and normalises it. */
export function normalizeIoc(input: string, kind?: IocKind): Normalized {
  const text = input.trim();
  if (text === '') return { reason: 'empty' };
  if (controlChars.test(text)) return { reason: 'contains a control character' };
  switch (kind) {
    case 'md5':
    case 'sha1':
    case 'sha256':
      return hash(text, kind);
    case 'path':
      return path(text);
    case 'ip':
      return ip(refang(text));
    case 'domain':
      return domain(refang(text));
    case 'url':
      return url(refang(text));
    case undefined:
      break;
    default:
      return { reason: `unknown IOC kind ${String(kind)}` };
  }
  if (/^[0-9a-f]+$/i.test(text) && text.length >= 16) return hash(text, undefined);
  if (text.includes('\\') || text.startsWith('/')) return path(text);
  const fanged = refang(text);
  if (hasScheme.test(fanged)) return url(fanged);
  const bare = /^\[.*\]$/.test(fanged) ? fanged.slice(1, -1) : fanged;
  if (ipaddr.isValid(bare) || ipaddr.isValidCIDR(bare) || /^[\d.]+(?:\/\d+)?$/.test(bare)) return ip(fanged);
  // A host then a path, without a scheme: `evil.com/gate.php`, `203.0.113.7:8080/x`.
  const head = /^([^/?#\s]+)[/?#]/.exec(fanged)?.[1];
  if (head !== undefined) {
    const host = head.replace(/:\d{1,5}$/, '');
    if ('kind' in domain(host) || ipaddr.IPv4.isValidFourPartDecimal(host)) return url(fanged);
  }
  // `*.evil.com` names the subdomains, which a domain sweep covers (it searches the name and its subdomains).
  const asDomain = domain(fanged.replace(/^\*\./, ''));
  if (!('kind' in asDomain)) return { reason: 'not a hash, IP address, URL, path or domain name' };
  if (fileExtension.test(asDomain.value)) {
    return { reason: 'a file name, not a domain: sweep its full path, or use --kind domain if it is a host' };
  }
  return asDomain;
}
