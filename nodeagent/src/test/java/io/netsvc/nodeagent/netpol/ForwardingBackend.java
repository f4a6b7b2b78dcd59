package io.netsvc.nodeagent.netpol;

import io.netsvc.config.ip.IpFamily;
import io.netsvc.nodeagent.netpol.backend.BackendException;
import io.netsvc.nodeagent.netpol.backend.RulesBackend;
import java.util.Map;

/** A backend that hands every call to another: tests override the calls they watch or hold. */
abstract class ForwardingBackend implements RulesBackend {
  private final RulesBackend inner;

  ForwardingBackend(RulesBackend inner) {
    this.inner = inner;
  }

  @Override
  public void restore(IpFamily family, String text) throws BackendException {
    inner.restore(family, text);
  }

  @Override
  public void ipsetRestore(String script) throws BackendException {
    inner.ipsetRestore(script);
  }

  @Override
  public String saveFilterTable(IpFamily family) throws BackendException {
    return inner.saveFilterTable(family);
  }

  @Override
  public String saveSets() throws BackendException {
    return inner.saveSets();
  }

  @Override
  public Map<String, Integer> setSizes() throws BackendException {
    return inner.setSizes();
  }

  @Override
  public String describe() {
    return inner.describe();
  }
}
