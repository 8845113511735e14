import Events
import Foundation
import PostgresNIO

/// Which leads a batch creates, locks or only reads.
extension ResultApplier {
    /// An event naming a lead.
    struct LeadRequest {
        var leadID: String
        var businessID: String
        var tenantID: String?
    }

    /// The state of every lead `results` name: missing leads are created from the first result
    /// naming them (its business and tenant); existing leads are locked (`FOR UPDATE`, in id
    /// order) only when a result of their own business names them, else only read — a result
    /// for a lead of another business neither creates nor locks it.
    func leadStates(for results: [AIResultEvent], on connection: PostgresConnection) async throws -> [String: LeadState] {
        try await leadStates(for: results.map { LeadRequest(leadID: $0.leadID, businessID: $0.businessID, tenantID: $0.tenantID) }, on: connection)
    }

    func leadStates(for requests: [LeadRequest], on connection: PostgresConnection) async throws -> [String: LeadState] {
        var firsts: [String: LeadRequest] = [:]
        for request in requests where firsts[request.leadID] == nil { firsts[request.leadID] = request }
        var leads: [String: LeadState] = [:]
        // A lead another transaction inserted after this statement's snapshot is neither
        // created nor seen: ask again for what is missing (the next snapshot sees it).
        for _ in 0..<3 {
            let missing = firsts.values.filter { leads[$0.leadID] == nil }
            guard !missing.isEmpty else { return leads }
            for (leadID, state) in try await createOrLock(missing, requests: requests, on: connection) { leads[leadID] = state }
        }
        guard leads.count == firsts.count else {
            throw PersistenceError(code: .unexpected, message: "a lead was neither created nor found")
        }
        return leads
    }

    private func createOrLock(_ firsts: [LeadRequest], requests: [LeadRequest], on connection: PostgresConnection) async throws -> [(String, LeadState)] {
        var firstRows = JSONWriter(capacity: 96 * firsts.count)
        firstRows.beginArray()
        for request in firsts.sorted(by: { $0.leadID < $1.leadID }) {
            firstRows.beginObject()
            firstRows.key("lead_id"); firstRows.string(request.leadID)
            firstRows.key("business_id"); firstRows.string(request.businessID)
            firstRows.key("tenant_id"); firstRows.string(request.tenantID)
            firstRows.endObject()
        }
        firstRows.endArray()
        var ownerRows = JSONWriter(capacity: 64 * requests.count)
        ownerRows.beginArray()
        for request in requests {
            ownerRows.beginObject()
            ownerRows.key("lead_id"); ownerRows.string(request.leadID)
            ownerRows.key("business_id"); ownerRows.string(request.businessID)
            ownerRows.endObject()
        }
        ownerRows.endArray()
        let rows = try await connection.run(
            """
            WITH firsts AS (
                SELECT * FROM jsonb_to_recordset(\(firstRows.string)::jsonb) AS x(lead_id text, business_id text, tenant_id text)
            ), owners AS (
                SELECT * FROM jsonb_to_recordset(\(ownerRows.string)::jsonb) AS x(lead_id text, business_id text)
            ), created AS (
                INSERT INTO leads (lead_id, business_id, tenant_id)
                SELECT lead_id, business_id, tenant_id FROM firsts ORDER BY lead_id
                ON CONFLICT (lead_id) DO NOTHING
                RETURNING lead_id, business_id, tenant_id, last_event_time
            ), locked AS (
                SELECT l.lead_id, l.business_id, l.tenant_id, l.last_event_time FROM leads l
                WHERE l.lead_id IN (SELECT lead_id FROM firsts)
                    AND EXISTS (SELECT 1 FROM owners o WHERE o.lead_id = l.lead_id AND o.business_id = l.business_id)
                ORDER BY l.lead_id
                FOR UPDATE
            ), others AS (
                SELECT l.lead_id, l.business_id, l.tenant_id, l.last_event_time FROM leads l
                WHERE l.lead_id IN (SELECT lead_id FROM firsts)
                    AND NOT EXISTS (SELECT 1 FROM owners o WHERE o.lead_id = l.lead_id AND o.business_id = l.business_id)
            )
            SELECT lead_id, business_id, tenant_id, last_event_time, true FROM created
            UNION ALL SELECT lead_id, business_id, tenant_id, last_event_time, false FROM locked
            UNION ALL SELECT lead_id, business_id, tenant_id, last_event_time, false FROM others
            """,
            logger: logger
        )
        return try rows.decode((String, String, String?, Date?, Bool).self).map { leadID, business, tenant, lastEventTime, created in
            (leadID, LeadState(businessID: business, tenantID: tenant, lastEventTime: lastEventTime, created: created))
        }
    }
}
