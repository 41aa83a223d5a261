import { StringDecoder } from 'node:string_decoder';
import { getManyValues, isMany, none } from 'stream-chain/defs.js';
import { jsonParser } from 'stream-json/parser.js';
import { AppError } from '../../core/errors.ts';

/**
 * docs/rules.md "Imports": a result file is read as a stream of JSON tokens and only the parts a reader
 * uses are built into values; everything else (ScubaGear's `Raw` provider dump, Maester's `ScriptBlock` and
 * `ErrorRecord`, whatever a tool adds) is tokenised and dropped, never held. What to keep is a `Keep` tree.
 */
export type Keep = true | { keys?: Record<string, Keep>; anyKey?: Keep; items?: Keep };

/** An object read from the file: keys lower-cased (the tools' readers compare names case-insensitively). */
export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

export interface ReadDocument {
  root: JsonValue | undefined;
  /** Top-level keys that were dropped, as written: the strict v1 reader refuses unknown ones. */
  droppedRootKeys: string[];
  bytes: number;
}

export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

type Token = { name: string; value?: unknown };

interface Frame {
  /** The container being built, or null while a dropped subtree is read through. */
  value: JsonObject | JsonValue[] | null;
  keep: Keep | undefined;
  isArray: boolean;
  /** Where the reader is inside this container: the current key, or the current index. */
  key: string;
  index: number;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * A kept string as a copy of its own. The parser cuts values out of its input buffer, and V8 lets such a cut
 * keep the whole buffer alive: held for every check of a 50 MB file, that was most of the file again in memory.
 */
const detached = (value: string) => (value.length < 13 ? value : ` ${value}`.slice(1));

/** `$.Tests[3].Result`: the JSON path of a position, for a 422 that says where. */
export function pathOf(parts: (string | number)[]): string {
  let path = '$';
  for (const part of parts) {
    if (typeof part === 'number') path += `[${part}]`;
    else path += IDENTIFIER.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`;
  }
  return path;
}

function childKeep(parent: Keep | undefined, frame: Frame | undefined, rootKeep: Keep): Keep | undefined {
  if (!frame) return rootKeep;
  if (parent === undefined) return undefined;
  if (parent === true) return true;
  if (frame.isArray) return parent.items;
  return parent.keys?.[frame.key.toLowerCase()] ?? parent.anyKey;
}

/** Builds the kept parts of one JSON document from its tokens, and knows where it is for error messages. */
class PrunedAssembler {
  root: JsonValue | undefined = undefined;
  droppedRootKeys: string[] = [];
  private readonly stack: Frame[] = [];

  constructor(private readonly rootKeep: Keep) {}

  path(): string {
    return pathOf(
      this.stack
        .map((frame) => (frame.isArray ? Math.max(frame.index, 0) : frame.key))
        .filter((p) => p !== ''),
    );
  }

  private place(value: JsonValue, keep: Keep | undefined): void {
    const parent = this.stack[this.stack.length - 1];
    if (!parent) {
      this.root = value;
      return;
    }
    if (keep === undefined || parent.value === null) {
      if (this.stack.length === 1 && !parent.isArray) this.droppedRootKeys.push(parent.key);
      return;
    }
    if (parent.isArray) (parent.value as JsonValue[]).push(value);
    else (parent.value as JsonObject)[parent.key.toLowerCase()] = value;
  }

  private beginValue(): Keep | undefined {
    const parent = this.stack[this.stack.length - 1];
    if (parent?.isArray) parent.index += 1;
    return childKeep(parent?.keep, parent, this.rootKeep);
  }

  private open(isArray: boolean): void {
    const keep = this.beginValue();
    const value: JsonObject | JsonValue[] | null =
      keep === undefined ? null : isArray ? [] : (Object.create(null) as JsonObject);
    if (value !== null) this.place(value, keep);
    else this.place(null, undefined);
    this.stack.push({ value, keep, isArray, key: '', index: -1 });
  }

  push(token: Token): void {
    const { name, value } = token;
    if (name === 'startObject' || name === 'startArray') this.open(name === 'startArray');
    else if (name === 'endObject' || name === 'endArray') this.stack.pop();
    else if (name === 'keyValue') {
      const frame = this.stack[this.stack.length - 1];
      if (frame) frame.key = value as string;
    } else if (name === 'stringValue') {
      const keep = this.beginValue();
      this.place(keep === undefined ? '' : detached(value as string), keep);
    } else if (name === 'numberValue') this.place(Number(value), this.beginValue());
    else if (name === 'nullValue') this.place(null, this.beginValue());
    else if (name === 'trueValue' || name === 'falseValue')
      this.place(name === 'trueValue', this.beginValue());
  }
}

const parserMessage = (error: unknown) =>
  String((error as Error).message ?? error)
    .replace(/^Parser cannot parse input: /, '')
    .replace(/^Parser has expected /, 'expected ');

export const tooLarge = () =>
  new AppError('payload_too_large', `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`);

type Parse = (input: unknown) => unknown;
const newParser = () => jsonParser({ packValues: true, streamValues: false }) as unknown as Parse;

/** Text is handed to the parser in slices this long: a syntax error loses at most one slice of position. */
const SLICE = 256;
/** Files up to this size are kept as text while read, so a syntax error can be located exactly. */
const LOCATE_BELOW = 1024 * 1024;

function feedTokens(parse: Parse, assembler: PrunedAssembler, input: unknown): void {
  const produced = parse(input);
  if (isMany(produced)) for (const token of getManyValues(produced) as Token[]) assembler.push(token);
  else if (produced && typeof produced === 'object' && 'name' in produced) assembler.push(produced as Token);
}

/** Where a syntax error is: the text parsed again a character at a time, so no token before it is lost. */
function locate(text: string, keep: Keep): string {
  const parse = newParser();
  const assembler = new PrunedAssembler(keep);
  try {
    for (const char of text) feedTokens(parse, assembler, char);
    feedTokens(parse, assembler, none);
  } catch {
    // The position is what this pass is for.
  }
  return assembler.path();
}

/**
 * Reads a JSON document from a byte stream, keeping what `keep` names. A UTF-8 byte-order mark is allowed;
 * more than `maxBytes` is a 413 as soon as it is seen; malformed JSON is a 422 naming the JSON path where
 * reading stopped (exactly for files under 1 MiB, within a few hundred characters for bigger ones).
 */
export async function readJsonDocument(
  source: AsyncIterable<Buffer | string>,
  keep: Keep,
  maxBytes = MAX_IMPORT_BYTES,
): Promise<ReadDocument> {
  const decoder = new StringDecoder('utf8');
  const parse = newParser();
  const assembler = new PrunedAssembler(keep);
  let bytes = 0;
  let first = true;
  let kept: string[] | null = [];
  const feed = (text: string | typeof none) => {
    try {
      if (text === none) feedTokens(parse, assembler, none);
      else
        for (let at = 0; at < text.length; at += SLICE)
          feedTokens(parse, assembler, text.slice(at, at + SLICE));
    } catch (error) {
      const path = kept ? locate(kept.join(''), keep) : assembler.path();
      throw new AppError('invalid', 'The file is not valid JSON', {
        [path]: kept ? parserMessage(error) : `${parserMessage(error)} (near here)`,
      });
    }
  };
  for await (const chunk of source) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    bytes += buffer.length;
    if (bytes > maxBytes) throw tooLarge();
    let text = decoder.write(buffer);
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    if (kept && bytes < LOCATE_BELOW) kept.push(text);
    else kept = null;
    if (text) feed(text);
  }
  const rest = decoder.end();
  if (rest && kept) kept.push(rest);
  if (rest) feed(rest);
  if (bytes === 0) throw new AppError('invalid', 'The file is empty', { $: 'must be a JSON object' });
  feed(none);
  if (assembler.root === undefined) {
    throw new AppError('invalid', 'The file is empty', { $: 'must be a JSON object' });
  }
  return { root: assembler.root, droppedRootKeys: assembler.droppedRootKeys, bytes };
}
