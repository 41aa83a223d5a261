ALTER TABLE "findings" ADD COLUMN "source" text;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "check_id" text;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "description" text;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "evidence" text;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "help_url" text;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "last_seen_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "findings" ADD COLUMN "workspace_id" integer;--> statement-breakpoint
ALTER TABLE "operation_runs" ADD COLUMN "import_key" text;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "findings_tenant_source_check_key" ON "findings" USING btree ("tenant_id","source","check_id") WHERE "findings"."source" is not null;--> statement-breakpoint
CREATE INDEX "findings_tenant_source_idx" ON "findings" USING btree ("tenant_id","source","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "findings_workspace_id_idx" ON "findings" USING btree ("workspace_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "findings_workspace_severity_rank_idx" ON "findings" USING btree ("workspace_id","severity_rank" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "findings_workspace_detected_idx" ON "findings" USING btree ("workspace_id","detected_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "findings_workspace_owner_idx" ON "findings" USING btree ("workspace_id","owner_user_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "findings_workspace_title_idx" ON "findings" USING btree ("workspace_id",lower("title") text_pattern_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "operation_runs_tenant_import_key" ON "operation_runs" USING btree ("tenant_id","import_key") WHERE "operation_runs"."import_key" is not null;