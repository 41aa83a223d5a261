CREATE TABLE "oidc_identities" (
	"id" serial PRIMARY KEY NOT NULL,
	"issuer" text NOT NULL,
	"subject" text NOT NULL,
	"user_id" integer NOT NULL,
	"email" text,
	"linked_via" text NOT NULL,
	"last_sign_in_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "oidc_identities_issuer_subject_key" UNIQUE("issuer","subject"),
	CONSTRAINT "oidc_identities_issuer_user_key" UNIQUE("issuer","user_id")
);
--> statement-breakpoint
CREATE TABLE "oidc_pending_logins" (
	"id" text PRIMARY KEY NOT NULL,
	"code_verifier" text NOT NULL,
	"nonce" text NOT NULL,
	"next_path" text NOT NULL,
	"invitation_id" integer,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oidc_sessions" (
	"session_id" text PRIMARY KEY NOT NULL,
	"identity_id" integer NOT NULL,
	"refresh_token" text,
	"checked_at" timestamp with time zone NOT NULL,
	"recheck_due_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "finding_counters" (
	"id" serial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"owner_key" integer NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"open_critical" integer DEFAULT 0 NOT NULL,
	"open_high" integer DEFAULT 0 NOT NULL,
	"open_medium" integer DEFAULT 0 NOT NULL,
	"open_low" integer DEFAULT 0 NOT NULL,
	"open_unassigned" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "oidc_identities" ADD CONSTRAINT "oidc_identities_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oidc_pending_logins" ADD CONSTRAINT "oidc_pending_logins_invitation_id_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."invitations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oidc_sessions" ADD CONSTRAINT "oidc_sessions_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oidc_sessions" ADD CONSTRAINT "oidc_sessions_identity_id_oidc_identities_id_fk" FOREIGN KEY ("identity_id") REFERENCES "public"."oidc_identities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "oidc_identities_user_idx" ON "oidc_identities" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "oidc_pending_logins_expires_idx" ON "oidc_pending_logins" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "oidc_sessions_identity_idx" ON "oidc_sessions" USING btree ("identity_id");--> statement-breakpoint
CREATE INDEX "finding_counters_tenant_idx" ON "finding_counters" USING btree ("tenant_id","owner_key");