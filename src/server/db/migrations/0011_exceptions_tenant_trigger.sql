-- docs/rules.md "Workspace views": finding_exceptions.tenant_id is the finding's tenant, set here on insert so
-- that no writer (services, the fixture loader, a console) has to name it; an exception never changes finding.
CREATE FUNCTION "finding_exceptions_set_tenant_id"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."tenant_id" := (SELECT f."tenant_id" FROM "findings" f WHERE f."id" = NEW."finding_id");
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "finding_exceptions_set_tenant_id"
  BEFORE INSERT OR UPDATE OF "finding_id" ON "finding_exceptions"
  FOR EACH ROW EXECUTE FUNCTION "finding_exceptions_set_tenant_id"();--> statement-breakpoint
UPDATE "finding_exceptions" e SET "tenant_id" = f."tenant_id" FROM "findings" f
  WHERE f."id" = e."finding_id" AND e."tenant_id" IS DISTINCT FROM f."tenant_id";
