package io.netsvc.sim.api;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * For checking the API by hand with a real kubectl; not a test. Args: [port] [kubeconfig path].
 * Runs until the process is terminated.
 */
public final class SimApiServerMain {
  private SimApiServerMain() {}

  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    Path kubeconfig = Path.of(args.length > 1 ? args[1] : "target/sim-kubeconfig");
    SimApiServer api = SimApiServer.start("127.0.0.1", port);
    Runtime.getRuntime().addShutdownHook(new Thread(api::close));
    System.out.println("kubeconfig " + api.writeKubeconfig(kubeconfig) + " url " + api.url());
    new CountDownLatch(1).await();
  }
}
