-- The chain is the history (SPEC §1.8): who wrote a review is part of it.
-- A published verdict names everyone who wrote it (review_contributor), so
-- the dossier rebuilt from the chain needs those rows too; until now they
-- were the one table of the dossier the change capture left out. Rows
-- written before this migration have no events: a dossier rebuilt for
-- those reviews names their author only, as before.
CREATE TRIGGER "_audit_capture" AFTER INSERT OR UPDATE OR DELETE ON "review_contributor"
  FOR EACH ROW EXECUTE FUNCTION "audit_capture"('review_id,actor_id');
