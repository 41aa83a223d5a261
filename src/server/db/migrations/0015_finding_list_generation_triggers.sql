-- docs/rules.md "Findings list": finding_list_generations says when each tenant's list pages last changed, whoever
-- changed them (the services, imports, bulk changes, the fixture loader, a console). Each changed row notes its
-- tenant in the transaction (a transaction-local setting, in the trigger's WHEN); the transaction's first noted
-- row queues the one deferred event, which at commit sets each noted tenant's row to a fresh value of the
-- sequence, in tenant order. So a transaction bumps each tenant once however many rows it writes, concurrent
-- writers only wait for each other at commit and always lock those rows in one order (no deadlock), and a
-- rolled-back transaction or savepoint notes nothing. Fired early (SET CONSTRAINTS ALL IMMEDIATE), the event
-- bumps what its statement noted, and the next change queues another.
CREATE FUNCTION "finding_lists_note_row"(tenant integer, moved_from integer DEFAULT NULL) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
  noted text := coalesce(current_setting('tenantpilot.changed_lists', true), '');
  first boolean := noted = '';
BEGIN
  IF first THEN noted := ','; END IF;
  IF tenant IS NOT NULL AND strpos(noted, ',' || tenant || ',') = 0 THEN noted := noted || tenant || ','; END IF;
  IF moved_from IS NOT NULL AND strpos(noted, ',' || moved_from || ',') = 0 THEN
    noted := noted || moved_from || ',';
  END IF;
  PERFORM set_config('tenantpilot.changed_lists', noted, true);
  RETURN first;
END
$$;--> statement-breakpoint
CREATE FUNCTION "finding_lists_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  noted text := trim(BOTH ',' FROM coalesce(current_setting('tenantpilot.changed_lists', true), ''));
BEGIN
  PERFORM set_config('tenantpilot.changed_lists', '', true);
  INSERT INTO "finding_list_generations" ("tenant_id", "generation")
    SELECT t, nextval('finding_list_generation_seq')
    FROM unnest(string_to_array(noted, ',')::integer[]) t GROUP BY t ORDER BY t
    ON CONFLICT ("tenant_id") DO UPDATE SET "generation" = excluded."generation";
  RETURN NULL;
END
$$;--> statement-breakpoint
-- Row 0: what every tenant's list shows (people), and a TRUNCATE of any table the lists read.
CREATE FUNCTION "finding_lists_bump_everyone"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "finding_list_generations" ("tenant_id", "generation")
    VALUES (0, nextval('finding_list_generation_seq'))
    ON CONFLICT ("tenant_id") DO UPDATE SET "generation" = excluded."generation";
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "findings_lists_insert" AFTER INSERT ON "findings" DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN ("finding_lists_note_row"(NEW."tenant_id")) EXECUTE FUNCTION "finding_lists_bump"();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "findings_lists_update" AFTER UPDATE ON "findings" DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN ("finding_lists_note_row"(NEW."tenant_id", OLD."tenant_id")) EXECUTE FUNCTION "finding_lists_bump"();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "findings_lists_delete" AFTER DELETE ON "findings" DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN ("finding_lists_note_row"(OLD."tenant_id")) EXECUTE FUNCTION "finding_lists_bump"();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "finding_exceptions_lists_insert" AFTER INSERT ON "finding_exceptions" DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN ("finding_lists_note_row"(NEW."tenant_id")) EXECUTE FUNCTION "finding_lists_bump"();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "finding_exceptions_lists_update" AFTER UPDATE ON "finding_exceptions" DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN ("finding_lists_note_row"(NEW."tenant_id", OLD."tenant_id")) EXECUTE FUNCTION "finding_lists_bump"();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "finding_exceptions_lists_delete" AFTER DELETE ON "finding_exceptions" DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN ("finding_lists_note_row"(OLD."tenant_id")) EXECUTE FUNCTION "finding_lists_bump"();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "tenant_memberships_lists_insert" AFTER INSERT ON "tenant_memberships" DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN ("finding_lists_note_row"(NEW."tenant_id")) EXECUTE FUNCTION "finding_lists_bump"();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "tenant_memberships_lists_update" AFTER UPDATE ON "tenant_memberships" DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN ("finding_lists_note_row"(NEW."tenant_id", OLD."tenant_id")) EXECUTE FUNCTION "finding_lists_bump"();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "tenant_memberships_lists_delete" AFTER DELETE ON "tenant_memberships" DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN ("finding_lists_note_row"(OLD."tenant_id")) EXECUTE FUNCTION "finding_lists_bump"();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "tenants_lists_update" AFTER UPDATE ON "tenants" DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN ("finding_lists_note_row"(NEW."id", OLD."id")) EXECUTE FUNCTION "finding_lists_bump"();--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "tenants_lists_delete" AFTER DELETE ON "tenants" DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW WHEN ("finding_lists_note_row"(OLD."id")) EXECUTE FUNCTION "finding_lists_bump"();--> statement-breakpoint
-- A person's name and whether they are active show in every tenant's list. Rare, and one row at a time.
CREATE CONSTRAINT TRIGGER "users_lists_bump" AFTER UPDATE OF "display_name", "active" ON "users"
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (OLD."display_name" IS DISTINCT FROM NEW."display_name" OR OLD."active" IS DISTINCT FROM NEW."active")
  EXECUTE FUNCTION "finding_lists_bump_everyone"();--> statement-breakpoint
CREATE TRIGGER "finding_lists_truncate" AFTER TRUNCATE ON "findings"
  FOR EACH STATEMENT EXECUTE FUNCTION "finding_lists_bump_everyone"();--> statement-breakpoint
CREATE TRIGGER "finding_lists_truncate" AFTER TRUNCATE ON "finding_exceptions"
  FOR EACH STATEMENT EXECUTE FUNCTION "finding_lists_bump_everyone"();--> statement-breakpoint
CREATE TRIGGER "finding_lists_truncate" AFTER TRUNCATE ON "tenant_memberships"
  FOR EACH STATEMENT EXECUTE FUNCTION "finding_lists_bump_everyone"();--> statement-breakpoint
CREATE TRIGGER "finding_lists_truncate" AFTER TRUNCATE ON "tenants"
  FOR EACH STATEMENT EXECUTE FUNCTION "finding_lists_bump_everyone"();--> statement-breakpoint
CREATE TRIGGER "finding_lists_truncate" AFTER TRUNCATE ON "users"
  FOR EACH STATEMENT EXECUTE FUNCTION "finding_lists_bump_everyone"();
