CREATE TABLE "support_request_attempts" (
	"id" serial PRIMARY KEY NOT NULL,
	"support_request_id" integer NOT NULL,
	"tenant_id" integer NOT NULL,
	"kind" text NOT NULL,
	"actor_user_id" integer NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"deadline_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"outcome" text,
	"external_ticket_reference" text,
	"external_ticket_url" text,
	"summary" text,
	CONSTRAINT "support_request_attempts_kind_check" CHECK ("support_request_attempts"."kind" in ('create', 'hand_off_again', 'link')),
	CONSTRAINT "support_request_attempts_outcome_check" CHECK ("support_request_attempts"."outcome" in ('created', 'found', 'linked', 'failed')),
	CONSTRAINT "support_request_attempts_finished_check" CHECK (("support_request_attempts"."finished_at" is null) = ("support_request_attempts"."outcome" is null))
);
--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "public_id" serial NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "user_agent" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "client_address" text;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "last_seen_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "workspaces" ADD COLUMN "require_second_factor" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "support_request_attempts" ADD CONSTRAINT "support_request_attempts_support_request_id_support_requests_id_fk" FOREIGN KEY ("support_request_id") REFERENCES "public"."support_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_request_attempts" ADD CONSTRAINT "support_request_attempts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "support_request_attempts" ADD CONSTRAINT "support_request_attempts_actor_user_id_users_id_fk" FOREIGN KEY ("actor_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "support_request_attempts_request_idx" ON "support_request_attempts" USING btree ("support_request_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "support_request_attempts_one_in_flight_key" ON "support_request_attempts" USING btree ("support_request_id") WHERE "support_request_attempts"."finished_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_public_id_key" ON "sessions" USING btree ("public_id");