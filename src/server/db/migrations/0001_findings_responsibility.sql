ALTER TABLE "findings" ADD COLUMN "severity_rank" smallint GENERATED ALWAYS AS (case severity when 'critical' then 4 when 'high' then 3 when 'medium' then 2 else 1 end) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "risk_accepted_until" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "findings_tenant_severity_rank_idx" ON "findings" USING btree ("tenant_id","severity_rank" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "findings_tenant_detected_idx" ON "findings" USING btree ("tenant_id","detected_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "findings_tenant_risk_accepted_idx" ON "findings" USING btree ("tenant_id","id" DESC NULLS LAST) WHERE "findings"."risk_accepted_until" is not null;--> statement-breakpoint
-- findings.risk_accepted_until follows the finding's approved exceptions, whoever writes them (the service,
-- the fixture loader, a console): the latest expiry of an approved one ('infinity' without expiry), else null.
CREATE FUNCTION "findings_sync_risk_accepted_until"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  touched integer[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    touched := ARRAY[NEW.finding_id];
  ELSIF TG_OP = 'DELETE' THEN
    touched := ARRAY[OLD.finding_id];
  ELSE
    touched := ARRAY[NEW.finding_id, OLD.finding_id];
  END IF;
  UPDATE "findings" f SET "risk_accepted_until" = (
    SELECT max(coalesce(e."expires_at", 'infinity'::timestamptz)) FROM "finding_exceptions" e
    WHERE e."finding_id" = f."id" AND e."status" = 'approved'
  )
  WHERE f."id" = ANY(touched);
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "finding_exceptions_sync_risk_accepted_until"
  AFTER INSERT OR DELETE OR UPDATE OF "status", "expires_at", "finding_id" ON "finding_exceptions"
  FOR EACH ROW EXECUTE FUNCTION "findings_sync_risk_accepted_until"();--> statement-breakpoint
UPDATE "findings" f SET "risk_accepted_until" = (
  SELECT max(coalesce(e."expires_at", 'infinity'::timestamptz)) FROM "finding_exceptions" e
  WHERE e."finding_id" = f."id" AND e."status" = 'approved'
)
WHERE EXISTS (SELECT 1 FROM "finding_exceptions" e WHERE e."finding_id" = f."id" AND e."status" = 'approved');
