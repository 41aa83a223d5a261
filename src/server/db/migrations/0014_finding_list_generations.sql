CREATE SEQUENCE "public"."finding_list_generation_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "finding_list_generations" (
	"tenant_id" integer PRIMARY KEY NOT NULL,
	"generation" bigint NOT NULL
);
