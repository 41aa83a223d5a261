-- finding_counters_delta (0009) wrote its delta query three times, once per operation. One query now, over the
-- rows the statement changed: inserted rows count +1, deleted rows -1, an update both (old -1, new +1).
-- Transition tables are visible to EXECUTE, and only the ones the firing trigger declares are named.
CREATE OR REPLACE FUNCTION "finding_counters_delta"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  changed text := CASE TG_OP
    WHEN 'INSERT' THEN 'SELECT 1 AS sign, n.* FROM new_rows n'
    WHEN 'DELETE' THEN 'SELECT -1 AS sign, o.* FROM old_rows o'
    ELSE 'SELECT 1 AS sign, n.* FROM new_rows n UNION ALL SELECT -1 AS sign, o.* FROM old_rows o'
  END;
BEGIN
  EXECUTE format($delta$
    INSERT INTO "finding_counters" ("tenant_id", "owner_key", "total", "open_critical", "open_high",
      "open_medium", "open_low", "open_unassigned")
    SELECT * FROM (
      SELECT c."tenant_id", c.owner_key, sum(c.sign)::int AS total,
        coalesce(sum(c.sign) FILTER (WHERE c.open AND c."severity" = 'critical'), 0)::int AS critical,
        coalesce(sum(c.sign) FILTER (WHERE c.open AND c."severity" = 'high'), 0)::int AS high,
        coalesce(sum(c.sign) FILTER (WHERE c.open AND c."severity" = 'medium'), 0)::int AS medium,
        coalesce(sum(c.sign) FILTER (WHERE c.open AND c."severity" = 'low'), 0)::int AS low,
        coalesce(sum(c.sign) FILTER (WHERE c.open AND c.unassigned), 0)::int AS unassigned
      FROM (SELECT r.sign, r."tenant_id", coalesce(r."owner_user_id", 0) AS owner_key,
        (r."workflow_status" IN ('new', 'triaged', 'in_progress', 'reopened', 'risk_accepted')) AS open,
        r."severity", r."assignee_user_id" IS NULL AS unassigned
      FROM (%s) r) c
      GROUP BY c."tenant_id", c.owner_key
    ) d
    WHERE d.total <> 0 OR d.critical <> 0 OR d.high <> 0 OR d.medium <> 0 OR d.low <> 0 OR d.unassigned <> 0
  $delta$, changed);
  RETURN NULL;
END
$$;
