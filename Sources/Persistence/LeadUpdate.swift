import Events
import Foundation

/// The lead-update rule, in one place: what a result changes on its lead (`LeadPatch.fold`, the
/// same for one result or many of one lead in a batch), the one UPDATE that writes it
/// (`LeadPatch.updateStatement`), and who may touch a lead (`LeadState.refusal`). Both the batch
/// path and a result applied alone go through it.
struct LeadPatch {
    var intent: String?
    var entities: JSONObject?
    var confidence: Double?
    var tier: String?
    var quality: String?
    var score: Int?
    var phone: String?
    var email: String?
    var eventTime: Date

    init(_ result: AIResultEvent) {
        eventTime = result.eventTime
        fold(result)
    }

    /// The same final state as applying the results one after the other: AI fields from the
    /// latest result that has them, contact details only where the lead has none. The tenant is
    /// never written: a lead keeps the tenant it was created with.
    mutating func fold(_ result: AIResultEvent) {
        if let intent = result.intent {
            self.intent = intent.intent.rawValue
            confidence = intent.confidence
            tier = intent.tier.rawValue
        }
        if let entities = result.entities { self.entities = entities }
        if let quality = result.leadQuality { self.quality = quality.rawValue }
        if let score = result.leadScore { self.score = score }
        phone = phone ?? result.phones.first
        email = email ?? result.emails.first
        eventTime = result.eventTime
    }

    /// One row of `updateStatement`'s JSON array.
    func write(leadID: String, to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("lead_id"); writer.string(leadID)
        writer.key("intent_type"); writer.string(intent)
        writer.key("extracted_entities")
        if let entities { writer.value(.object(entities)) } else { writer.null() }
        writer.key("ai_confidence")
        if let confidence { writer.number(confidence, fractionDigits: 12) } else { writer.null() }
        writer.key("ai_tier"); writer.string(tier)
        writer.key("lead_quality"); writer.string(quality)
        writer.key("lead_score")
        if let score { writer.int(score) } else { writer.null() }
        writer.key("phone"); writer.string(phone)
        writer.key("email"); writer.string(email)
        writer.key("event_epoch"); writer.number(eventTime.timeIntervalSince1970, fractionDigits: 6)
        writer.endObject()
    }

    /// `lead_update AS (UPDATE leads …)` over `rows`, a bound JSON array of `write` rows.
    static func updateStatement(rows: String) -> String {
        """
        lead_update AS (
            UPDATE leads l SET
                intent_type = COALESCE(x.intent_type, l.intent_type),
                extracted_entities = COALESCE(x.extracted_entities, l.extracted_entities),
                custom_fields = CASE WHEN x.ai_confidence IS NULL THEN l.custom_fields
                    ELSE COALESCE(l.custom_fields, '{}'::jsonb) || jsonb_build_object('ai_confidence', x.ai_confidence, 'ai_tier', x.ai_tier)
                    END,
                lead_quality = COALESCE(x.lead_quality, l.lead_quality),
                lead_score = COALESCE(x.lead_score, l.lead_score),
                phone = COALESCE(l.phone, x.phone),
                email = COALESCE(l.email, x.email),
                ai_updated_at = now(),
                last_event_time = to_timestamp(x.event_epoch),
                updated_at = now()
            FROM jsonb_to_recordset(\(rows)::jsonb) AS x(
                lead_id text, intent_type text, extracted_entities jsonb, ai_confidence float8, ai_tier text,
                lead_quality text, lead_score integer, phone text, email text, event_epoch float8)
            WHERE l.lead_id = x.lead_id
            RETURNING 1)
        """
    }
}

/// A lead as the applier found it.
struct LeadState {
    var businessID: String
    var tenantID: String?
    var lastEventTime: Date?
    var created: Bool

    /// Who may touch this lead: an event of another business, or with another tenant — a
    /// missing one included when the lead has one, and a tenant for a lead created without —
    /// is refused (dead-lettered). A lead never adopts a tenant after its creation.
    func refusal(businessID: String?, tenantID: String?) -> PersistenceError? {
        if let businessID, businessID != self.businessID {
            return PersistenceError(code: .businessMismatch, message: "business_id of the event does not match the stored lead")
        }
        if tenantID != self.tenantID {
            return PersistenceError(code: .tenantMismatch, message: "tenant_id of the event does not match the stored lead")
        }
        return nil
    }
}
