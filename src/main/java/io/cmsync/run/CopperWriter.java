package io.cmsync.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.cmsync.copper.CopperClient;
import io.cmsync.copper.CopperMapping;
import io.cmsync.http.ApiException;
import io.cmsync.report.OperationOutcome;
import io.cmsync.sync.Action;
import io.cmsync.sync.Direction;

/**
 * Executes the Copper side of a plan through the bulk endpoints (≤ 10 people a call, results in request order);
 * the client paces calls to Copper's rolling-minute limit.
 */
public final class CopperWriter {
    private static final String CREATE = "création";
    private static final String UPDATE = "mise à jour";

    private final CopperClient client;
    private final SyncRuns runs;

    public CopperWriter(CopperClient client, SyncRuns runs) {
        this.client = client;
        this.runs = runs;
    }

    public void createPeople(List<Action.CreateCopperPerson> batch) {
        SyncRun run = runs.current();
        for (int from = 0; from < batch.size(); from += CopperClient.BULK_LIMIT) {
            List<Action.CreateCopperPerson> chunk = batch.subList(from, Math.min(from + CopperClient.BULK_LIMIT, batch.size()));
            List<Map<String, Object>> bodies = new ArrayList<>();
            chunk.forEach(a -> bodies.add(CopperMapping.newPerson(a.email(), a.firstName(), a.lastName(), List.of())));
            List<CopperClient.BulkItem> results;
            try {
                results = client.bulkCreate(bodies);
            } catch (ApiException e) {
                chunk.forEach(a -> record(run, a.email(), name(a.firstName(), a.lastName()), CREATE, e.getMessage()));
                continue;
            }
            for (int i = 0; i < chunk.size(); i++) {
                Action.CreateCopperPerson a = chunk.get(i);
                CopperClient.BulkItem r = results.get(i);
                if (r.ok()) {
                    run.createdCopperPerson(a.email(), r.person().id());
                }
                record(run, a.email(), name(a.firstName(), a.lastName()), CREATE, r.error());
            }
        }
    }

    public void updatePeople(List<Action.UpdateCopperPerson> batch) {
        SyncRun run = runs.current();
        for (int from = 0; from < batch.size(); from += CopperClient.BULK_LIMIT) {
            List<Action.UpdateCopperPerson> chunk = batch.subList(from, Math.min(from + CopperClient.BULK_LIMIT, batch.size()));
            List<Map<String, Object>> bodies = new ArrayList<>();
            chunk.forEach(a -> bodies.add(CopperMapping.personUpdate(a.copperId(), a.firstName(), a.lastName(),
                    a.namesChanged(), a.tagsChanged() ? a.tags() : null)));
            List<CopperClient.BulkItem> results;
            try {
                results = client.bulkUpdate(bodies);
            } catch (ApiException e) {
                chunk.forEach(a -> record(run, a.email(), name(a.firstName(), a.lastName()), UPDATE, e.getMessage()));
                continue;
            }
            for (int i = 0; i < chunk.size(); i++) {
                Action.UpdateCopperPerson a = chunk.get(i);
                record(run, a.email(), name(a.firstName(), a.lastName()), UPDATE, results.get(i).error());
            }
        }
    }

    private static String name(String first, String last) {
        return ((first == null ? "" : first) + " " + (last == null ? "" : last)).strip();
    }

    private static void record(SyncRun run, String email, String name, String operation, String error) {
        boolean ok = error == null;
        run.outcome(new OperationOutcome(email, Direction.MAILCHIMP_TO_COPPER, operation, ok, name, List.of(), error, null));
        if (ok) {
            run.log().success("Mailchimp → Copper (" + operation + "): " + email);
        } else {
            run.log().error("Mailchimp → Copper (" + operation + ") en échec: " + email + " — " + error);
        }
    }
}
