package io.netsvc.actors.deploy;

import io.netsvc.k8s.deploy.PassResult;

/** The blocking work of the manifest deployer; the actor decides when it runs. */
public interface ManifestJobs {
  /** Stages the packaged manifests and makes sure the Addon and HelmChart CRDs are served. */
  void prepare();

  /** Scans the directory once (see {@code ManifestDeployer#pass}); never throws for a bad file. */
  PassResult pass(boolean force);
}
