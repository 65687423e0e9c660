-- Invariants the database holds by itself (SPEC §1.8, §2), so that a bug in
-- the service cannot break them. Custom SQLSTATEs in class "CP" let the
-- service map each refusal to a precise problem.

-- A relation never points a claim at itself; a PARTY relation names the
-- assertion it rests on, an EDITORIAL one does not.
ALTER TABLE "claim_relation"
  ADD CONSTRAINT "claim_relation_not_self" CHECK ("source_claim_id" <> "target_claim_id"),
  ADD CONSTRAINT "claim_relation_basis_assertion" CHECK (
    ("basis" = 'PARTY' AND "assertion_id" IS NOT NULL) OR
    ("basis" = 'EDITORIAL' AND "assertion_id" IS NULL));

ALTER TABLE "party"
  ADD CONSTRAINT "party_slug_format" CHECK ("slug" ~ '^[a-z0-9]+(-[a-z0-9]+)*$');

ALTER TABLE "assertion"
  ADD CONSTRAINT "assertion_anchor_range" CHECK (
    ("anchor_start" IS NULL AND "anchor_end" IS NULL) OR
    ("anchor_start" >= 0 AND "anchor_end" >= "anchor_start")),
  ADD CONSTRAINT "assertion_withdrawal_reason" CHECK (
    ("withdrawn_at" IS NULL AND "withdrawn_reason" IS NULL) OR
    ("withdrawn_at" IS NOT NULL AND "withdrawn_reason" IS NOT NULL));

-- Invariant 1: no claim without an active assertion once a transaction
-- commits. Deferred, because a claim and its first assertion are inserted one
-- after the other. A merged claim is only a redirect and holds none.
CREATE FUNCTION "claim_requires_assertion"(claim_uuid UUID) RETURNS VOID AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "claim" WHERE "id" = claim_uuid AND "merged_into_id" IS NULL)
     AND NOT EXISTS (SELECT 1 FROM "assertion" WHERE "claim_id" = claim_uuid AND "withdrawn_at" IS NULL) THEN
    RAISE EXCEPTION 'claim % would have no active assertion', claim_uuid
      USING ERRCODE = 'CP001', HINT = 'claim_requires_assertion';
  END IF;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION "claim_check_assertions"() RETURNS TRIGGER AS $$
BEGIN
  PERFORM "claim_requires_assertion"(NEW."id");
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION "assertion_check_claim"() RETURNS TRIGGER AS $$
BEGIN
  PERFORM "claim_requires_assertion"(OLD."claim_id");
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER "claim_has_assertion"
  AFTER INSERT OR UPDATE OF "merged_into_id" ON "claim"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION "claim_check_assertions"();

CREATE CONSTRAINT TRIGGER "assertion_keeps_claim_asserted"
  AFTER UPDATE OF "withdrawn_at", "claim_id" ON "assertion"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION "assertion_check_claim"();

-- Invariant 2: assertions are withdrawn, never deleted.
CREATE FUNCTION "refuse_assertion_delete"() RETURNS TRIGGER AS $$
BEGIN
  RAISE EXCEPTION 'assertions are withdrawn, never deleted' USING ERRCODE = 'CP002';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "assertion_no_delete" BEFORE DELETE ON "assertion"
  FOR EACH ROW EXECUTE FUNCTION "refuse_assertion_delete"();

CREATE FUNCTION "refuse_claim_delete"() RETURNS TRIGGER AS $$
BEGIN
  RAISE EXCEPTION 'claims are merged, never deleted' USING ERRCODE = 'CP002';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "claim_no_delete" BEFORE DELETE ON "claim"
  FOR EACH ROW EXECUTE FUNCTION "refuse_claim_delete"();

-- The audit log is append-only and linear: each event must extend the head
-- of the chain (next seq, previous hash). UPDATE, DELETE and TRUNCATE are
-- refused outright; only a superuser disabling triggers can get past this,
-- and /v1/audit/verify then finds the damage.
CREATE FUNCTION "audit_event_append_only"() RETURNS TRIGGER AS $$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only (% refused)', TG_OP USING ERRCODE = 'CP003';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "audit_event_no_update" BEFORE UPDATE OR DELETE ON "audit_event"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_append_only"();

CREATE TRIGGER "audit_event_no_truncate" BEFORE TRUNCATE ON "audit_event"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_event_append_only"();

CREATE FUNCTION "audit_event_extends_head"() RETURNS TRIGGER AS $$
DECLARE
  head RECORD;
BEGIN
  SELECT "seq", "hash" INTO head FROM "audit_event" ORDER BY "seq" DESC LIMIT 1;
  IF (NOT FOUND AND (NEW."seq" <> 1 OR NEW."prev_hash" <> repeat('0', 64)))
     OR (FOUND AND (NEW."seq" <> head."seq" + 1 OR NEW."prev_hash" <> head."hash")) THEN
    RAISE EXCEPTION 'audit event % does not extend the chain head', NEW."seq" USING ERRCODE = 'CP004';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "audit_event_linear" BEFORE INSERT ON "audit_event"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_extends_head"();
