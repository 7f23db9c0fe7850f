package dev.plugai.http.generation;

import dev.plugai.core.errors.PlugAiException;
import dev.plugai.core.identity.Caller;
import dev.plugai.core.identity.Scope;
import dev.plugai.core.scheduler.Job;
import dev.plugai.core.scheduler.Scheduler;
import dev.plugai.http.auth.Callers;
import dev.plugai.http.json.Json;
import dev.plugai.http.routing.Access;
import dev.plugai.http.routing.ApiResource;
import dev.plugai.http.routing.ApiRoutes;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Jobs and the queue: {@code GET /v1/jobs/{id}}, {@code DELETE /v1/jobs/{id}} (cancel, queued or running),
 * {@code GET /v1/queue} (the caller's unfinished jobs; admins see all). Another user's job is 404.
 */
public final class JobsResource implements ApiResource {

    private final Scheduler scheduler;
    private final Json json;

    public JobsResource(Scheduler scheduler, Json json) {
        this.scheduler = scheduler;
        this.json = json;
    }

    @Override
    public void routes(ApiRoutes routes) {
        Access generate = Access.scope(Scope.GENERATE);
        routes.get("/v1/queue", generate, this::queue)
                .get("/v1/jobs/{id}", generate, this::get)
                .delete("/v1/jobs/{id}", generate, this::cancel);
    }

    private void queue(ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        json.write(response, Status.OK_200, scheduler.unfinished(job -> maySee(caller, job)).stream()
                .map(job -> EventViews.job(job, caller.isAdmin())).toList());
    }

    private void get(ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        json.write(response, Status.OK_200, EventViews.job(visibleJob(request, caller), caller.isAdmin()));
    }

    private void cancel(ServerRequest request, ServerResponse response) {
        Caller caller = Callers.of(request);
        Job job = visibleJob(request, caller);
        scheduler.cancel(job.id());
        json.write(response, Status.OK_200, EventViews.job(job, caller.isAdmin()));
    }

    private Job visibleJob(ServerRequest request, Caller caller) {
        String id = request.path().pathParameters().get("id");
        return scheduler.find(id).filter(job -> maySee(caller, job))
                .orElseThrow(() -> new PlugAiException.NotFound("No job with id " + id + "."));
    }

    /** Owners and admins see a job; for everyone else it does not exist. */
    private static boolean maySee(Caller caller, Job job) {
        return caller.isAdmin() || job.ownerId().equals(caller.user().id());
    }
}
