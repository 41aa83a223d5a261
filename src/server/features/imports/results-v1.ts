import { severities } from '../findings/tables.ts';
import {
  type Assessment,
  type Check,
  isObject,
  normalizeDirectoryId,
  type Problems,
  requiredArray,
  requiredDate,
} from './fields.ts';
import type { JsonObject, JsonValue, Keep } from './read-json.ts';
import { helpUrlOf, TEXT_MAX, TITLE_MAX } from './rules.ts';

/**
 * docs/rules.md "Imports", `tenantpilot.results.v1`: TenantPilot's own format for any other tool. Unlike the
 * tools' files it is ours, so it is read strictly: unknown fields, wrong types and values out of range are
 * refused with the path of each.
 */
export const V1_FORMAT = 'tenantpilot.results.v1';
export const V1_KEEP: Keep = {
  keys: { format: true, tool: true, directory_id: true, run: true, results: { items: true } },
};

const ROOT_FIELDS = ['format', 'tool', 'directory_id', 'run', 'results'];
const RUN_FIELDS = ['type', 'started_at', 'completed_at', 'key'];
const RESULT_FIELDS = ['key', 'title', 'severity', 'status', 'description', 'evidence', 'help_url'];
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOOL = /^[a-z0-9][a-z0-9._-]{0,62}$/;

function text(
  value: JsonValue | undefined,
  path: string,
  problems: Problems,
  { max, required }: { max: number; required: boolean },
): string | null {
  if (value === undefined || value === null) {
    if (required) problems.add(path, 'is required');
    return null;
  }
  const problem =
    typeof value !== 'string'
      ? 'must be a string'
      : required && value.trim() === ''
        ? 'must not be blank'
        : value.length > max
          ? `must be at most ${max} characters`
          : value.includes('\u0000')
            ? 'must not contain a NUL character'
            : null;
  if (problem === null) return value as string;
  problems.add(path, problem);
  return null;
}

function unknownFields(object: JsonObject, known: string[], path: string, problems: Problems): void {
  for (const key of Object.keys(object)) {
    if (!known.includes(key)) problems.add(`${path}.${key}`, 'is not a known field');
  }
}

function readResult(result: JsonObject, path: string, problems: Problems): Check | null {
  unknownFields(result, RESULT_FIELDS, path, problems);
  const key = text(result.key, `${path}.key`, problems, { max: 200, required: true });
  const title = text(result.title, `${path}.title`, problems, { max: TITLE_MAX, required: true });
  const severity = result.severity;
  if (!(severities as readonly unknown[]).includes(severity)) {
    problems.add(`${path}.severity`, `must be one of ${severities.join(', ')}`);
  }
  const status = result.status;
  if (status !== 'failed' && status !== 'passed' && status !== 'skipped') {
    problems.add(`${path}.status`, 'must be one of failed, passed, skipped');
  }
  const description = text(result.description, `${path}.description`, problems, {
    max: TEXT_MAX,
    required: false,
  });
  const evidence = text(result.evidence, `${path}.evidence`, problems, { max: TEXT_MAX, required: false });
  const helpUrl = text(result.help_url, `${path}.help_url`, problems, { max: 2048, required: false });
  if (helpUrl !== null && helpUrlOf(helpUrl) === null)
    problems.add(`${path}.help_url`, 'must be an absolute http(s) URL');
  if (key === null || title === null) return null;
  return {
    checkId: key,
    title: title.trim(),
    severity: severity as Check['severity'],
    status: status === 'skipped' ? 'other' : (status as 'failed' | 'passed'),
    description,
    evidence,
    helpUrl: helpUrlOf(helpUrl),
  };
}

export function readResultsV1(root: JsonObject, droppedRootKeys: string[], problems: Problems): Assessment[] {
  for (const key of droppedRootKeys) problems.add(`$.${key}`, 'is not a known field');
  unknownFields(root, ROOT_FIELDS, '$', problems);
  const tool = text(root.tool, '$.tool', problems, { max: 63, required: true });
  if (tool !== null && !TOOL.test(tool))
    problems.add('$.tool', 'must be lower-case letters, digits, ".", "_" or "-"');
  const directoryId = text(root.directory_id, '$.directory_id', problems, { max: 36, required: false });
  if (directoryId !== null && !GUID.test(directoryId)) problems.add('$.directory_id', 'must be a GUID');
  const run = isObject(root.run) ? root.run : null;
  if (!run) problems.add('$.run', root.run === undefined ? 'is required' : 'must be an object');
  if (run) unknownFields(run, RUN_FIELDS, '$.run', problems);
  const type = text(run?.type, '$.run.type', problems, { max: 100, required: true });
  const key = text(run?.key, '$.run.key', problems, { max: 200, required: true });
  const startedAt = run ? requiredDate(run.started_at, '$.run.started_at', problems) : null;
  const completedAt = run ? requiredDate(run.completed_at, '$.run.completed_at', problems) : null;
  if (startedAt && completedAt && completedAt < startedAt) {
    problems.add('$.run.completed_at', 'must not be before started_at');
  }
  const checks: Check[] = [];
  const keys = new Set<string>();
  requiredArray(root.results, '$.results', problems).forEach((result, index) => {
    const path = `$.results[${index}]`;
    if (!isObject(result)) {
      problems.add(path, 'must be an object');
      return;
    }
    const check = readResult(result, path, problems);
    if (check && keys.has(check.checkId)) problems.add(`${path}.key`, 'is used by an earlier result');
    if (check) keys.add(check.checkId);
    if (check) checks.push(check);
  });
  if (tool === null || type === null || key === null || !startedAt || !completedAt) return [];
  return [
    {
      path: '$',
      tool,
      runType: type,
      directoryId: directoryId === null ? null : normalizeDirectoryId(directoryId),
      directoryPath: '$.directory_id',
      assessmentKey: key,
      startedAt,
      completedAt,
      toolReportedErrors: false,
      checks,
    },
  ];
}
