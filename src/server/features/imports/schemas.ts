import { type Static, Type } from 'typebox';
import { Nullable } from '../../core/schema-parts.ts';
import { RunView } from '../operation-runs/schemas.ts';

export const ImportFormat = Type.Enum(['maester', 'scubagear', 'tenantpilot.results.v1']);
export type ImportFormat = Static<typeof ImportFormat>;

const count = (description: string) => Type.Integer({ minimum: 0, description });

export const ImportCountsView = Type.Object({
  created: count('Failed checks without a finding: a new one each'),
  reopened: count('Failed checks whose finding was resolved or closed: reopened'),
  resolved: count('Passed checks whose finding was open: resolved'),
  unchanged: count('Failed or passed checks whose finding keeps its status (risk accepted stays so)'),
  ignored: count('Checks the tool did not judge (skipped, not run, not applicable, errors): nothing changes'),
});

export const ImportedPart = Type.Object({
  path: Type.String({ description: 'Where the assessment is in the file, as a JSON path' }),
  directory_id: Nullable(Type.String()),
  run: RunView,
  already_imported: Type.Boolean({ description: 'The same assessment was imported before: nothing changed' }),
  counts: ImportCountsView,
});

export const RefusedPart = Type.Object({
  path: Type.String({ description: 'The JSON path of the part that names its tenant' }),
  directory_id: Nullable(Type.String()),
  reason: Type.String(),
});

export const ImportResult = Type.Object({
  format: ImportFormat,
  /** The run, when the file held one assessment that was imported. */
  run: Nullable(RunView),
  already_imported: Type.Boolean(),
  counts: ImportCountsView,
  imports: Type.Array(ImportedPart),
  refused: Type.Array(RefusedPart),
});
export type ImportResult = Static<typeof ImportResult>;

/**
 * The body is the tool's file itself, read as a stream (never parsed whole): any JSON value passes this
 * schema, and the readers judge it, answering 422 with the JSON path of each problem.
 */
export const ImportFile = Type.Unsafe<unknown>({
  description:
    'A Maester TestResults-*.json (single or merged `{"Tenants": [...]}`), a ScubaGear ScubaResults_*.json, ' +
    'or a tenantpilot.results.v1 file; up to 50 MB, a UTF-8 byte-order mark allowed',
});
