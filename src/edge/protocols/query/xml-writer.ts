/**
 * Writes handler values as XML elements the way AWS's XML protocols (query, later rest-xml)
 * serialize them, driven by the model: members as elements named `locationName ?? name` in model
 * order; lists wrapped in `<member>` items (the item's `locationName` when set) unless flattened,
 * where the element itself repeats; maps as `<entry><key/><value/></entry>`; timestamps ISO 8601
 * unless the model names another format; blobs base64. Members the model does not know are
 * dropped: XML has no shape-free form for them.
 * https://smithy.io/2.0/aws/protocols/aws-query-protocol.html#response-serialization
 */
import type { Member, Shape } from '../../../kit/models/shapes.js';
import { formatTimestamp, type TimestampFormat } from '../../timestamp.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#xD;', '\n': '&#xA;' };

/** Text escaped for an XML element or attribute. */
export const escapeXml = (text: string): string => text.replace(/[&<>"'\r\n]/g, (c) => ESCAPES[c]!);

/** The members of structure `shape` in `value`, as a sequence of XML elements. */
export function xmlMembers(shape: Shape, value: Record<string, unknown>): string {
  let out = '';
  for (const member of Object.values(shape.members)) {
    const v = value[member.name];
    if (v === undefined || v === null) continue;
    out += xmlMember(member, v, member.locationName ?? member.name);
  }
  return out;
}

function xmlMember(member: Member, value: unknown, name: string): string {
  const shape = member.shape;
  switch (shape.type) {
    case 'structure':
      return `<${name}>${typeof value === 'object' ? xmlMembers(shape, value as Record<string, unknown>) : ''}</${name}>`;
    case 'list': {
      if (!Array.isArray(value)) return '';
      const item = shape.member!;
      if (shape.flattened || member.flattened) return value.map((v) => (v == null ? '' : xmlMember(item, v, name))).join('');
      const itemName = item.locationName ?? 'member';
      return `<${name}>${value.map((v) => (v == null ? '' : xmlMember(item, v, itemName))).join('')}</${name}>`;
    }
    case 'map': {
      if (typeof value !== 'object') return '';
      const keyName = shape.key!.locationName ?? 'key';
      const valueName = shape.value!.locationName ?? 'value';
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v != null)
        .map(([k, v]) => `<${keyName}>${escapeXml(k)}</${keyName}>${xmlMember(shape.value!, v, valueName)}`);
      if (shape.flattened || member.flattened) return entries.map((e) => `<${name}>${e}</${name}>`).join('');
      return `<${name}>${entries.map((e) => `<entry>${e}</entry>`).join('')}</${name}>`;
    }
    default:
      return `<${name}>${escapeXml(scalarText(member, value))}</${name}>`;
  }
}

function scalarText(member: Member, value: unknown): string {
  const shape = member.shape;
  switch (shape.type) {
    case 'timestamp': {
      const format = (member.timestampFormat ?? shape.timestampFormat ?? 'iso8601') as TimestampFormat;
      return String(formatTimestamp(value, format) ?? value);
    }
    case 'blob':
      return value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') : Buffer.from(String(value)).toString('base64');
    default:
      return String(value);
  }
}
