package dev.plugai.core.generation;

/**
 * Receives a job's events. Called from scheduler threads, one event at a time per job. Throwing (e.g.
 * because the client went away) cancels the job.
 */
@FunctionalInterface
public interface GenerationListener {

    void on(GenerationEvent event);
}
