-- docs/rules.md "Workspace views". findings.workspace_id is the tenant's workspace, set here on insert so that
-- no writer (services, imports, the fixture loader, a console) has to name it; a finding never changes tenant,
-- but should one be moved, it follows.
CREATE FUNCTION "findings_set_workspace_id"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."workspace_id" := (SELECT t."workspace_id" FROM "tenants" t WHERE t."id" = NEW."tenant_id");
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "findings_set_workspace_id"
  BEFORE INSERT OR UPDATE OF "tenant_id" ON "findings"
  FOR EACH ROW EXECUTE FUNCTION "findings_set_workspace_id"();--> statement-breakpoint
UPDATE "findings" f SET "workspace_id" = t."workspace_id" FROM "tenants" t
  WHERE t."id" = f."tenant_id" AND f."workspace_id" IS DISTINCT FROM t."workspace_id";--> statement-breakpoint
-- finding_counters: one delta row per (tenant, owner) a statement changed, inserted in the statement's own
-- transaction (never an update of a shared row: concurrent writers neither wait nor deadlock). "Open" is the
-- stored status as open.ts reads it before risk acceptance: the four open statuses and a stored risk_accepted.
CREATE FUNCTION "finding_counters_delta"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "finding_counters" ("tenant_id", "owner_key", "total", "open_critical", "open_high",
      "open_medium", "open_low", "open_unassigned")
    SELECT * FROM (
      SELECT c."tenant_id", c.owner_key, sum(c.sign)::int AS total,
        coalesce(sum(c.sign) FILTER (WHERE c.open AND c."severity" = 'critical'), 0)::int AS critical,
        coalesce(sum(c.sign) FILTER (WHERE c.open AND c."severity" = 'high'), 0)::int AS high,
        coalesce(sum(c.sign) FILTER (WHERE c.open AND c."severity" = 'medium'), 0)::int AS medium,
        coalesce(sum(c.sign) FILTER (WHERE c.open AND c."severity" = 'low'), 0)::int AS low,
        coalesce(sum(c.sign) FILTER (WHERE c.open AND c.unassigned), 0)::int AS unassigned
      FROM (SELECT 1 AS sign, r."tenant_id", coalesce(r."owner_user_id", 0) AS owner_key,
        (r."workflow_status" IN ('new', 'triaged', 'in_progress', 'reopened', 'risk_accepted')) AS open,
        r."severity", r."assignee_user_id" IS NULL AS unassigned
      FROM new_rows r) c
      GROUP BY c."tenant_id", c.owner_key
    ) d
    WHERE d.total <> 0 OR d.critical <> 0 OR d.high <> 0 OR d.medium <> 0 OR d.low <> 0 OR d.unassigned <> 0;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "finding_counters" ("tenant_id", "owner_key", "total", "open_critical", "open_high",
      "open_medium", "open_low", "open_unassigned")
    SELECT * FROM (
      SELECT c."tenant_id", c.owner_key, sum(c.sign)::int AS total,
        coalesce(sum(c.sign) FILTER (WHERE c.open AND c."severity" = 'critical'), 0)::int AS critical,
        coalesce(sum(c.sign) FILTER (WHERE c.open AND c."severity" = 'high'), 0)::int AS high,
        coalesce(sum(c.sign) FILTER (WHERE c.open AND c."severity" = 'medium'), 0)::int AS medium,
        coalesce(sum(c.sign) FILTER (WHERE c.open AND c."severity" = 'low'), 0)::int AS low,
        coalesce(sum(c.sign) FILTER (WHERE c.open AND c.unassigned), 0)::int AS unassigned
      FROM (SELECT -1 AS sign, r."tenant_id", coalesce(r."owner_user_id", 0) AS owner_key,
        (r."workflow_status" IN ('new', 'triaged', 'in_progress', 'reopened', 'risk_accepted')) AS open,
        r."severity", r."assignee_user_id" IS NULL AS unassigned
      FROM old_rows r) c
      GROUP BY c."tenant_id", c.owner_key
    ) d
    WHERE d.total <> 0 OR d.critical <> 0 OR d.high <> 0 OR d.medium <> 0 OR d.low <> 0 OR d.unassigned <> 0;
  ELSE
    INSERT INTO "finding_counters" ("tenant_id", "owner_key", "total", "open_critical", "open_high",
      "open_medium", "open_low", "open_unassigned")
    SELECT * FROM (
      SELECT c."tenant_id", c.owner_key, sum(c.sign)::int AS total,
        coalesce(sum(c.sign) FILTER (WHERE c.open AND c."severity" = 'critical'), 0)::int AS critical,
        coalesce(sum(c.sign) FILTER (WHERE c.open AND c."severity" = 'high'), 0)::int AS high,
        coalesce(sum(c.sign) FILTER (WHERE c.open AND c."severity" = 'medium'), 0)::int AS medium,
        coalesce(sum(c.sign) FILTER (WHERE c.open AND c."severity" = 'low'), 0)::int AS low,
        coalesce(sum(c.sign) FILTER (WHERE c.open AND c.unassigned), 0)::int AS unassigned
      FROM (SELECT 1 AS sign, r."tenant_id", coalesce(r."owner_user_id", 0) AS owner_key,
        (r."workflow_status" IN ('new', 'triaged', 'in_progress', 'reopened', 'risk_accepted')) AS open,
        r."severity", r."assignee_user_id" IS NULL AS unassigned
      FROM new_rows r
      UNION ALL
      SELECT -1 AS sign, r."tenant_id", coalesce(r."owner_user_id", 0) AS owner_key,
        (r."workflow_status" IN ('new', 'triaged', 'in_progress', 'reopened', 'risk_accepted')) AS open,
        r."severity", r."assignee_user_id" IS NULL AS unassigned
      FROM old_rows r) c
      GROUP BY c."tenant_id", c.owner_key
    ) d
    WHERE d.total <> 0 OR d.critical <> 0 OR d.high <> 0 OR d.medium <> 0 OR d.low <> 0 OR d.unassigned <> 0;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "findings_count_insert" AFTER INSERT ON "findings" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "finding_counters_delta"();--> statement-breakpoint
CREATE TRIGGER "findings_count_update" AFTER UPDATE ON "findings" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "finding_counters_delta"();--> statement-breakpoint
CREATE TRIGGER "findings_count_delete" AFTER DELETE ON "findings" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "finding_counters_delta"();--> statement-breakpoint
-- The counts of the findings that exist already: one row per (tenant, owner).
INSERT INTO "finding_counters" ("tenant_id", "owner_key", "total", "open_critical", "open_high", "open_medium",
  "open_low", "open_unassigned")
SELECT d.* FROM (
  SELECT c."tenant_id", c.owner_key, sum(c.sign)::int AS total,
    coalesce(sum(c.sign) FILTER (WHERE c.open AND c."severity" = 'critical'), 0)::int,
    coalesce(sum(c.sign) FILTER (WHERE c.open AND c."severity" = 'high'), 0)::int,
    coalesce(sum(c.sign) FILTER (WHERE c.open AND c."severity" = 'medium'), 0)::int,
    coalesce(sum(c.sign) FILTER (WHERE c.open AND c."severity" = 'low'), 0)::int,
    coalesce(sum(c.sign) FILTER (WHERE c.open AND c.unassigned), 0)::int
  FROM (SELECT 1 AS sign, r."tenant_id", coalesce(r."owner_user_id", 0) AS owner_key,
        (r."workflow_status" IN ('new', 'triaged', 'in_progress', 'reopened', 'risk_accepted')) AS open,
        r."severity", r."assignee_user_id" IS NULL AS unassigned
      FROM "findings" r) c
  GROUP BY c."tenant_id", c.owner_key
) d;
