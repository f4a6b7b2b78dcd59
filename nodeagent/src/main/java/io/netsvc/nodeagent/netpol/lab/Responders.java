package io.netsvc.nodeagent.netpol.lab;

import java.io.Closeable;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The servers of one lab pod: TCP ports accept and close at once (a completed handshake is the
 * answer), UDP ports echo every datagram. Sockets are bound on the pod's namespace thread and
 * served by plain threads afterwards.
 */
final class Responders implements AutoCloseable {
  private final List<Closeable> sockets = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  static Responders start(
      NetnsExecutor netns, String name, List<Integer> tcpPorts, List<Integer> udpPorts)
      throws IOException {
    Responders responders = new Responders();
    try {
      for (int port : tcpPorts) {
        ServerSocket server = netns.call(() -> bindTcp(port), Duration.ofSeconds(5));
        responders.serve(server, name + "-tcp-" + port, () -> acceptLoop(server));
      }
      for (int port : udpPorts) {
        DatagramSocket socket = netns.call(() -> new DatagramSocket(port), Duration.ofSeconds(5));
        responders.serve(socket, name + "-udp-" + port, () -> echoLoop(socket));
      }
    } catch (IOException e) {
      responders.close();
      throw e;
    }
    return responders;
  }

  private static ServerSocket bindTcp(int port) throws IOException {
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(port), 64);
    return server;
  }

  private void serve(Closeable socket, String threadName, Runnable loop) {
    sockets.add(socket);
    Thread thread = new Thread(loop, threadName);
    thread.setDaemon(true);
    threads.add(thread);
    thread.start();
  }

  private static void acceptLoop(ServerSocket server) {
    while (!server.isClosed()) {
      try (Socket ignored = server.accept()) {
        // the handshake completed: that is the answer
      } catch (IOException e) {
        // closed by close(), or a client that went away; the loop condition decides
      }
    }
  }

  private static void echoLoop(DatagramSocket socket) {
    byte[] buffer = new byte[2048];
    while (!socket.isClosed()) {
      try {
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        socket.receive(packet);
        socket.send(
            new DatagramPacket(
                packet.getData(), packet.getLength(), packet.getAddress(), packet.getPort()));
      } catch (IOException e) {
        // closed by close(), or an unreachable sender; the loop condition decides
      }
    }
  }

  @Override
  public void close() {
    for (Closeable socket : sockets) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing a listening socket cannot fail in a way we could act on
      }
    }
    for (Thread thread : threads) {
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
