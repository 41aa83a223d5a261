CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" integer,
	"tenant_id" integer,
	"actor_user_id" integer,
	"action" text NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "finding_exceptions" (
	"id" serial PRIMARY KEY NOT NULL,
	"finding_id" integer NOT NULL,
	"owner_user_id" integer NOT NULL,
	"requested_by_user_id" integer NOT NULL,
	"request_reason" text NOT NULL,
	"review_due_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone,
	"status" text NOT NULL,
	"decided_by_user_id" integer,
	"decided_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "finding_exceptions_status_check" CHECK ("finding_exceptions"."status" in ('pending', 'approved', 'rejected', 'expired', 'revoked'))
);
--> statement-breakpoint
CREATE TABLE "findings" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"title" text NOT NULL,
	"severity" text NOT NULL,
	"workflow_status" text NOT NULL,
	"detected_at" timestamp with time zone DEFAULT now() NOT NULL,
	"owner_user_id" integer,
	"assignee_user_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "findings_severity_check" CHECK ("findings"."severity" in ('low', 'medium', 'high', 'critical')),
	CONSTRAINT "findings_workflow_status_check" CHECK ("findings"."workflow_status" in ('new', 'triaged', 'in_progress', 'reopened', 'resolved', 'closed', 'risk_accepted'))
);
--> statement-breakpoint
CREATE TABLE "operation_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"workspace_id" integer NOT NULL,
	"tenant_id" integer,
	"type" text NOT NULL,
	"status" text NOT NULL,
	"outcome" text,
	"summary" text,
	"started_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "operation_runs_status_check" CHECK ("operation_runs"."status" in ('queued', 'running', 'completed')),
	CONSTRAINT "operation_runs_outcome_check" CHECK ("operation_runs"."outcome" in ('succeeded', 'partially_succeeded', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "support_requests" (
	"id" serial PRIMARY KEY NOT NULL,
	"internal_reference" text NOT NULL,
	"workspace_id" integer NOT NULL,
	"tenant_id" integer NOT NULL,
	"primary_context_type" text NOT NULL,
	"operation_run_id" integer,
	"severity" text NOT NULL,
	"summary" text NOT NULL,
	"reproduction_notes" text,
	"contact_name" text,
	"contact_email" text,
	"submitted_by_user_id" integer NOT NULL,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL,
	"handoff_mode" text NOT NULL,
	"handoff_outcome" text,
	"handoff_deadline_at" timestamp with time zone,
	"external_ticket_reference" text,
	"external_ticket_url" text,
	"failure_summary" text,
	CONSTRAINT "support_requests_internal_reference_unique" UNIQUE("internal_reference"),
	CONSTRAINT "support_requests_context_check" CHECK ("support_requests"."primary_context_type" in ('tenant', 'operation_run')),
	CONSTRAINT "support_requests_severity_check" CHECK ("support_requests"."severity" in ('low', 'normal', 'high', 'blocking')),
	CONSTRAINT "support_requests_mode_check" CHECK ("support_requests"."handoff_mode" in ('internal_only', 'create_external_ticket', 'link_existing_ticket')),
	CONSTRAINT "support_requests_outcome_check" CHECK ("support_requests"."handoff_outcome" in ('internal_only', 'external_ticket_created', 'external_ticket_linked', 'external_handoff_failed')),
	CONSTRAINT "support_requests_context_run_check" CHECK (("support_requests"."primary_context_type" = 'operation_run') = ("support_requests"."operation_run_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "rate_limit_hits" (
	"key" text PRIMARY KEY NOT NULL,
	"count" integer NOT NULL,
	"window_ends_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tenant_memberships" (
	"tenant_id" integer NOT NULL,
	"workspace_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenant_memberships_tenant_id_user_id_pk" PRIMARY KEY("tenant_id","user_id"),
	CONSTRAINT "tenant_memberships_role_check" CHECK ("tenant_memberships"."role" in ('owner', 'manager', 'operator', 'readonly'))
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" serial PRIMARY KEY NOT NULL,
	"workspace_id" integer NOT NULL,
	"external_id" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenants_external_id_unique" UNIQUE("external_id"),
	CONSTRAINT "tenants_id_workspace_key" UNIQUE("id","workspace_id"),
	CONSTRAINT "tenants_external_id_check" CHECK ("tenants"."external_id" ~ '^[a-z0-9-]{1,63}$')
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"display_name" text NOT NULL,
	"password_hash" text,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workspace_memberships" (
	"workspace_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"role" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workspace_memberships_workspace_id_user_id_pk" PRIMARY KEY("workspace_id","user_id"),
	CONSTRAINT "workspace_memberships_role_check" CHECK ("workspace_memberships"."role" in ('owner', 'manager', 'operator', 'readonly'))
);
--> statement-breakpoint
CREATE TABLE "workspaces" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workspaces_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding_exceptions" ADD CONSTRAINT "finding_exceptions_finding_id_findings_id_fk" FOREIGN KEY ("finding_id") REFERENCES "public"."findings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding_exceptions" ADD CONSTRAINT "finding_exceptions_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding_exceptions" ADD CONSTRAINT "finding_exceptions_requested_by_user_id_users_id_fk" FOREIGN KEY ("requested_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding_exceptions" ADD CONSTRAINT "finding_exceptions_decided_by_user_id_users_id_fk" FOREIGN KEY ("decided_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "findings" ADD CONSTRAINT "findings_assignee_user_id_users_id_fk" FOREIGN KEY ("assignee_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operation_runs" ADD CONSTRAINT "operation_runs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operation_runs" ADD CONSTRAINT "operation_runs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_requests" ADD CONSTRAINT "support_requests_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_requests" ADD CONSTRAINT "support_requests_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_requests" ADD CONSTRAINT "support_requests_operation_run_id_operation_runs_id_fk" FOREIGN KEY ("operation_run_id") REFERENCES "public"."operation_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_requests" ADD CONSTRAINT "support_requests_submitted_by_user_id_users_id_fk" FOREIGN KEY ("submitted_by_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_memberships" ADD CONSTRAINT "tenant_memberships_tenant_fk" FOREIGN KEY ("tenant_id","workspace_id") REFERENCES "public"."tenants"("id","workspace_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_memberships" ADD CONSTRAINT "tenant_memberships_workspace_membership_fk" FOREIGN KEY ("workspace_id","user_id") REFERENCES "public"."workspace_memberships"("workspace_id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenants" ADD CONSTRAINT "tenants_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspace_memberships" ADD CONSTRAINT "workspace_memberships_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspace_memberships" ADD CONSTRAINT "workspace_memberships_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_subject_idx" ON "audit_events" USING btree ("subject_type","subject_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "audit_events_tenant_idx" ON "audit_events" USING btree ("tenant_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "finding_exceptions_finding_idx" ON "finding_exceptions" USING btree ("finding_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "finding_exceptions_one_pending_key" ON "finding_exceptions" USING btree ("finding_id") WHERE "finding_exceptions"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "findings_tenant_id_idx" ON "findings" USING btree ("tenant_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "findings_tenant_owner_idx" ON "findings" USING btree ("tenant_id","owner_user_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "findings_tenant_assignee_idx" ON "findings" USING btree ("tenant_id","assignee_user_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "findings_tenant_severity_idx" ON "findings" USING btree ("tenant_id","severity","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "findings_tenant_status_idx" ON "findings" USING btree ("tenant_id","workflow_status","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "findings_owner_idx" ON "findings" USING btree ("owner_user_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "findings_assignee_idx" ON "findings" USING btree ("assignee_user_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "operation_runs_tenant_id_idx" ON "operation_runs" USING btree ("tenant_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "operation_runs_tenant_status_idx" ON "operation_runs" USING btree ("tenant_id","status","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "operation_runs_tenant_outcome_idx" ON "operation_runs" USING btree ("tenant_id","outcome","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "operation_runs_workspace_idx" ON "operation_runs" USING btree ("workspace_id","id" DESC NULLS LAST) WHERE "operation_runs"."tenant_id" is null;--> statement-breakpoint
CREATE INDEX "support_requests_tenant_idx" ON "support_requests" USING btree ("tenant_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "support_requests_tenant_context_idx" ON "support_requests" USING btree ("tenant_id","primary_context_type","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "support_requests_run_idx" ON "support_requests" USING btree ("operation_run_id","id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "api_tokens_user_idx" ON "api_tokens" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "sessions_expires_idx" ON "sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "tenant_memberships_user_idx" ON "tenant_memberships" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "tenants_workspace_idx" ON "tenants" USING btree ("workspace_id","name");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_lower_key" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "workspace_memberships_user_idx" ON "workspace_memberships" USING btree ("user_id");