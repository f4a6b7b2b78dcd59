package io.netsvc.nodeagent.netpol.lab;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Client side of a probe, on a socket opened inside the pod's namespace (a socket stays in the
 * namespace it was made in, whichever thread uses it afterwards). Each closes its socket.
 */
final class Probes {
  private Probes() {}

  /** A completed TCP handshake within {@code timeout}; refused, rejected or silent is false. */
  static boolean tcp(SocketChannel channel, InetAddress to, int port, Duration timeout) {
    try (channel) {
      channel.socket().connect(new InetSocketAddress(to, port), (int) timeout.toMillis());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A datagram with a random payload comes back unchanged within {@code timeout}. */
  static boolean udp(DatagramChannel channel, InetAddress to, int port, Duration timeout) {
    byte[] payload = new byte[16];
    ThreadLocalRandom.current().nextBytes(payload);
    // connected, so an ICMP port-unreachable ends the wait at once instead of timing out
    try (channel) {
      var socket = channel.socket();
      channel.connect(new InetSocketAddress(to, port));
      socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
      channel.write(ByteBuffer.wrap(payload));
      byte[] buffer = new byte[64];
      var reply = new java.net.DatagramPacket(buffer, buffer.length);
      socket.receive(reply);
      return Arrays.equals(payload, Arrays.copyOf(buffer, reply.getLength()));
    } catch (IOException e) {
      return false;
    }
  }
}
