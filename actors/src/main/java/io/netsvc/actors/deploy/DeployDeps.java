package io.netsvc.actors.deploy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * What the manifest deployer of a member needs: its blocking jobs, the manifests directory, how
 * often it is rescanned anyway, how long a failed preparation waits, and where blocking work runs.
 */
public record DeployDeps(
    ManifestJobs jobs, Path dir, Duration rescan, Duration retry, Executor blocking) {}
