-- The chain is the history (SPEC §1.8): every row a write changes in the
-- ledger's tables is captured here by a trigger, inside the writer's
-- transaction, and the audit recorder turns the captured rows into events
-- (one per row, holding the whole row before and after) just before commit.
-- Services therefore only name what they did; they cannot forget a row.
-- Rows wait here only while their transaction runs: the recorder deletes
-- them as it appends the events.
CREATE UNLOGGED TABLE "audit_change" (
  "ord"         BIGSERIAL PRIMARY KEY,
  "txid"        BIGINT NOT NULL DEFAULT txid_current(),
  "entity_type" TEXT NOT NULL,
  "entity_id"   TEXT NOT NULL,
  "op"          TEXT NOT NULL,
  "old_row"     JSONB,
  "new_row"     JSONB
);
CREATE INDEX "audit_change_txid" ON "audit_change" ("txid");

-- TG_ARGV[0]: the key columns, comma-separated (joined with '/' into the
-- entity id); the other arguments: columns left out of the record — secrets
-- (key hashes) and what triggers derive for search.
CREATE FUNCTION "audit_capture"() RETURNS TRIGGER AS $$
DECLARE
  omit TEXT[] := TG_ARGV[1:];
  old_row JSONB;
  new_row JSONB;
  key_row JSONB;
  entity_id TEXT;
BEGIN
  IF TG_OP <> 'INSERT' THEN old_row := to_jsonb(OLD) - omit; END IF;
  IF TG_OP <> 'DELETE' THEN new_row := to_jsonb(NEW) - omit; END IF;
  key_row := coalesce(new_row, old_row);
  SELECT string_agg(key_row ->> k, '/' ORDER BY ord) INTO entity_id
    FROM unnest(string_to_array(TG_ARGV[0], ',')) WITH ORDINALITY AS keys(k, ord);
  INSERT INTO "audit_change" ("entity_type", "entity_id", "op", "old_row", "new_row")
    VALUES (TG_TABLE_NAME, entity_id, lower(TG_OP), old_row, new_row);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Named to fire before the other AFTER triggers of a table (they fire in name
-- order), so that a row is captured before the rows its triggers change.
CREATE TRIGGER "_audit_capture" AFTER INSERT OR UPDATE OR DELETE ON "party"
  FOR EACH ROW EXECUTE FUNCTION "audit_capture"('id', 'search_text');
CREATE TRIGGER "_audit_capture" AFTER INSERT OR UPDATE OR DELETE ON "affiliation"
  FOR EACH ROW EXECUTE FUNCTION "audit_capture"('id');
CREATE TRIGGER "_audit_capture" AFTER INSERT OR UPDATE OR DELETE ON "source"
  FOR EACH ROW EXECUTE FUNCTION "audit_capture"('id');
CREATE TRIGGER "_audit_capture" AFTER INSERT OR UPDATE OR DELETE ON "claim"
  FOR EACH ROW EXECUTE FUNCTION "audit_capture"('id', 'search_vector');
CREATE TRIGGER "_audit_capture" AFTER INSERT OR UPDATE OR DELETE ON "claim_subject"
  FOR EACH ROW EXECUTE FUNCTION "audit_capture"('claim_id,party_id');
CREATE TRIGGER "_audit_capture" AFTER INSERT OR UPDATE OR DELETE ON "assertion"
  FOR EACH ROW EXECUTE FUNCTION "audit_capture"('id');
CREATE TRIGGER "_audit_capture" AFTER INSERT OR UPDATE OR DELETE ON "claim_relation"
  FOR EACH ROW EXECUTE FUNCTION "audit_capture"('id');
CREATE TRIGGER "_audit_capture" AFTER INSERT OR UPDATE OR DELETE ON "review"
  FOR EACH ROW EXECUTE FUNCTION "audit_capture"('id');
CREATE TRIGGER "_audit_capture" AFTER INSERT OR UPDATE OR DELETE ON "review_evidence"
  FOR EACH ROW EXECUTE FUNCTION "audit_capture"('id');
CREATE TRIGGER "_audit_capture" AFTER INSERT OR UPDATE OR DELETE ON "setting"
  FOR EACH ROW EXECUTE FUNCTION "audit_capture"('key');
CREATE TRIGGER "_audit_capture" AFTER INSERT OR UPDATE OR DELETE ON "actor"
  FOR EACH ROW EXECUTE FUNCTION "audit_capture"('id');
CREATE TRIGGER "_audit_capture" AFTER INSERT OR UPDATE OR DELETE ON "api_key"
  FOR EACH ROW EXECUTE FUNCTION "audit_capture"('id', 'key_hash');
CREATE TRIGGER "_audit_capture" AFTER INSERT OR UPDATE OR DELETE ON "claimreview_import"
  FOR EACH ROW EXECUTE FUNCTION "audit_capture"('id');

-- A claim's history: every event whose row names the claim (or a review,
-- whose evidence names it), found through one index.
CREATE FUNCTION "audit_refs"(entity_type TEXT, entity_id TEXT, before JSONB, after JSONB) RETURNS TEXT[] AS $$
  SELECT array_remove(ARRAY[
    CASE WHEN entity_type IN ('claim', 'review') THEN entity_id END,
    after ->> 'claim_id', before ->> 'claim_id',
    after ->> 'source_claim_id', before ->> 'source_claim_id',
    after ->> 'target_claim_id', before ->> 'target_claim_id',
    after ->> 'merged_into_id', before ->> 'merged_into_id',
    after ->> 'review_id', before ->> 'review_id'
  ], NULL)
$$ LANGUAGE sql IMMUTABLE;

CREATE INDEX "audit_event_refs" ON "audit_event" USING GIN ("audit_refs"("entity_type", "entity_id", "before", "after"));

-- Replay walks the chain entity by entity.
CREATE INDEX "audit_event_entity_seq" ON "audit_event" ("entity_type", "entity_id", "seq");
