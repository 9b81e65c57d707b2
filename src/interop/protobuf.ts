/**
 * The protocol-buffer wire format, as much of it as ONNX files need: varints
 * (int64 values, negative ones as their 10-byte two's complement), 32-bit floats,
 * and length-delimited strings, bytes and messages. Written for reading and
 * writing ONNX without a dependency; checked against protobufjs in the tests.
 *
 * @module
 */
import { FormatError } from 'tinydense';

/** Wire types: how a field's value is laid out after its tag. */
export const Wire = {
  Varint: 0,
  Fixed64: 1,
  Bytes: 2,
  Fixed32: 5,
} as const;

/** One of the {@link Wire} types. */
export type Wire = (typeof Wire)[keyof typeof Wire];

/** Builds one message: fields in the order written. */
export class ProtoWriter {
  private buffer = new Uint8Array(256);
  private length = 0;

  /** The message's bytes. */
  finish(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  /** A varint field holding an integer (int32, int64, enum, bool); negative values take 10 bytes. */
  int(field: number, value: number | bigint): this {
    this.tag(field, Wire.Varint);
    this.varint(BigInt.asUintN(64, BigInt(value)));
    return this;
  }

  /** A 32-bit float field. */
  float(field: number, value: number): this {
    this.tag(field, Wire.Fixed32);
    this.reserve(4);
    new DataView(this.buffer.buffer).setFloat32(this.length, value, true);
    this.length += 4;
    return this;
  }

  /** A UTF-8 string field. */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** A bytes field (also an embedded message, given its bytes). */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, Wire.Bytes);
    this.varint(BigInt(value.length));
    this.reserve(value.length);
    this.buffer.set(value, this.length);
    this.length += value.length;
    return this;
  }

  /** An embedded message field. */
  message(field: number, build: (message: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  private tag(field: number, wire: Wire): void {
    this.varint(BigInt((field << 3) | wire));
  }

  private varint(value: bigint): void {
    this.reserve(10);
    let v = value;
    do {
      const low = Number(v & 0x7fn);
      v >>= 7n;
      this.buffer[this.length++] = v === 0n ? low : low | 0x80;
    } while (v !== 0n);
  }

  private reserve(bytes: number): void {
    if (this.length + bytes <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + bytes));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }
}

/** One field as read: its number, wire type and raw value. */
export interface ProtoField {
  /** The field number. */
  readonly field: number;
  /** The wire type. */
  readonly wire: Wire;
  /** A varint's value (as an unsigned 64-bit integer). */
  readonly varint?: bigint;
  /** The bytes of a length-delimited, fixed32 or fixed64 value. */
  readonly bytes?: Uint8Array;
}

/**
 * Splits a message's bytes into its fields, checking every length against the
 * bytes there are.
 *
 * @param bytes - The message.
 * @param where - What it is, for messages (e.g. `graph.node[3]`).
 * @returns The fields, in order.
 * @throws {@link FormatError} for truncated or malformed input.
 */
export function readFields(bytes: Uint8Array, where: string): ProtoField[] {
  const fields: ProtoField[] = [];
  let at = 0;
  const varint = (): bigint => {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (at >= bytes.length) throw new FormatError(`${where}: truncated varint at byte ${at}`);
      const b = bytes[at++] as number;
      value |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, value);
    }
    throw new FormatError(`${where}: a varint longer than 10 bytes at byte ${at}`);
  };
  const take = (n: number): Uint8Array => {
    if (n > bytes.length - at) throw new FormatError(`${where}: a field claims ${n} bytes at byte ${at}, but ${bytes.length - at} remain`);
    const out = bytes.subarray(at, at + n);
    at += n;
    return out;
  };
  while (at < bytes.length) {
    const key = varint();
    const field = Number(key >> 3n);
    const wire = Number(key & 7n);
    if (field < 1 || field > 2 ** 29 - 1) throw new FormatError(`${where}: field number ${field} is out of range`);
    switch (wire) {
      case Wire.Varint:
        fields.push({ field, wire, varint: varint() });
        break;
      case Wire.Fixed64:
        fields.push({ field, wire, bytes: take(8) });
        break;
      case Wire.Bytes: {
        const length = varint();
        if (length > BigInt(bytes.length)) throw new FormatError(`${where}: a field claims ${length} bytes at byte ${at}, but ${bytes.length - at} remain`);
        fields.push({ field, wire, bytes: take(Number(length)) });
        break;
      }
      case Wire.Fixed32:
        fields.push({ field, wire, bytes: take(4) });
        break;
      default:
        throw new FormatError(`${where}: wire type ${wire} (field ${field}) is not one this reader knows`);
    }
  }
  return fields;
}

/** Typed access to the fields of one message. */
export class ProtoMessage {
  /** The fields, in order. */
  readonly fields: readonly ProtoField[];
  /** What the message is, for error messages. */
  readonly where: string;

  /**
   * @param bytes - The message's bytes.
   * @param where - What it is, for messages.
   * @throws {@link FormatError} for malformed bytes.
   */
  constructor(bytes: Uint8Array, where: string) {
    this.fields = readFields(bytes, where);
    this.where = where;
  }

  /** The values of a repeated (or single) field, each as its raw field. */
  all(field: number): ProtoField[] {
    return this.fields.filter((f) => f.field === field);
  }

  /** A string field's value (the last one, as protobuf reads a repeated scalar), or `fallback`. */
  string(field: number, fallback = ''): string {
    const f = this.all(field).at(-1);
    return f === undefined ? fallback : new TextDecoder('utf-8', { fatal: false }).decode(this.lengthDelimited(f, field));
  }

  /** Every string of a repeated string field. */
  strings(field: number): string[] {
    return this.all(field).map((f) => new TextDecoder().decode(this.lengthDelimited(f, field)));
  }

  /** An integer field as a signed 64-bit value, or `fallback`. */
  int(field: number, fallback = 0n): bigint {
    const f = this.all(field).at(-1);
    if (f === undefined) return fallback;
    if (f.varint === undefined) throw new FormatError(`${this.where}: field ${field} must be an integer`);
    return BigInt.asIntN(64, f.varint);
  }

  /** Every value of a repeated integer field, packed or not, as signed 64-bit values. */
  ints(field: number): bigint[] {
    return this.all(field).flatMap((f) => {
      if (f.varint !== undefined) return [BigInt.asIntN(64, f.varint)];
      return readPackedVarints(this.lengthDelimited(f, field), `${this.where}.${field}`);
    });
  }

  /** A 32-bit float field, or `fallback`. */
  float(field: number, fallback = 0): number {
    const f = this.all(field).at(-1);
    if (f === undefined) return fallback;
    if (f.wire !== Wire.Fixed32 || f.bytes === undefined) throw new FormatError(`${this.where}: field ${field} must be a 32-bit float`);
    return new DataView(f.bytes.buffer, f.bytes.byteOffset, 4).getFloat32(0, true);
  }

  /** Every value of a repeated float field, packed or not. */
  floats(field: number): number[] {
    return this.all(field).flatMap((f) => {
      const b = f.bytes;
      if (b === undefined || (f.wire !== Wire.Fixed32 && f.wire !== Wire.Bytes) || b.length % 4 !== 0) throw new FormatError(`${this.where}: field ${field} must hold 32-bit floats`);
      const view = new DataView(b.buffer, b.byteOffset, b.length);
      return Array.from({ length: b.length / 4 }, (_, i) => view.getFloat32(4 * i, true));
    });
  }

  /** The embedded messages of a (repeated) message field. */
  messages(field: number, name: string): ProtoMessage[] {
    return this.all(field).map((f, i) => new ProtoMessage(this.lengthDelimited(f, field), `${this.where}.${name}[${i}]`));
  }

  /** A bytes field's value, or `undefined`. */
  bytes(field: number): Uint8Array | undefined {
    const f = this.all(field).at(-1);
    return f === undefined ? undefined : this.lengthDelimited(f, field);
  }

  private lengthDelimited(f: ProtoField, field: number): Uint8Array {
    if (f.wire !== Wire.Bytes || f.bytes === undefined) throw new FormatError(`${this.where}: field ${field} must be length-delimited`);
    return f.bytes;
  }
}

function readPackedVarints(bytes: Uint8Array, where: string): bigint[] {
  const out: bigint[] = [];
  let at = 0;
  while (at < bytes.length) {
    let value = 0n;
    let shift = 0n;
    for (;;) {
      if (at >= bytes.length || shift >= 70n) throw new FormatError(`${where}: a malformed packed varint`);
      const b = bytes[at++] as number;
      value |= BigInt(b & 0x7f) << shift;
      shift += 7n;
      if ((b & 0x80) === 0) break;
    }
    out.push(BigInt.asIntN(64, BigInt.asUintN(64, value)));
  }
  return out;
}
