from django.db import migrations

# A published version is what adopters ran and what exports reproduce byte for byte: PostgreSQL
# refuses to change its document or number, whoever writes (services, admin, raw SQL).
SQL = """
CREATE FUNCTION standard_models_version_immutable() RETURNS trigger AS $$
BEGIN
    IF OLD.published_at IS NOT NULL AND (NEW.document_text IS DISTINCT FROM OLD.document_text
            OR NEW.number IS DISTINCT FROM OLD.number OR NEW.model_id IS DISTINCT FROM OLD.model_id
            OR NEW.published_at IS DISTINCT FROM OLD.published_at) THEN
        RAISE EXCEPTION 'model version % is published and cannot change', OLD.id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER standard_models_version_immutable BEFORE UPDATE ON standard_models_modelversion
FOR EACH ROW EXECUTE FUNCTION standard_models_version_immutable();
"""
REVERSE = """
DROP TRIGGER IF EXISTS standard_models_version_immutable ON standard_models_modelversion;
DROP FUNCTION IF EXISTS standard_models_version_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("standard_models", "0001_initial")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
