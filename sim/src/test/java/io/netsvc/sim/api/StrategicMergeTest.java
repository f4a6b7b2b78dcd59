package io.netsvc.sim.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Strategic-merge patches as kubectl apply/label/annotate/patch send them (single quotes = "). */
class StrategicMergeTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      maps merge, null deletes |\
      {'kind':'Service','metadata':{'labels':{'a':'1','b':'2'}}} |\
      {'metadata':{'labels':{'a':null,'c':'3'}}} |\
      {'kind':'Service','metadata':{'labels':{'b':'2','c':'3'}}}
      service ports merge by port |\
      {'kind':'Service','spec':{'ports':[{'port':80,'nodePort':30080},{'port':443}]}} |\
      {'spec':{'ports':[{'port':80,'targetPort':8080}]}} |\
      {'kind':'Service','spec':{'ports':[{'port':80,'nodePort':30080,'targetPort':8080},{'port':443}]}}
      $patch delete removes a keyed element |\
      {'kind':'Service','spec':{'ports':[{'port':80},{'port':443}]}} |\
      {'spec':{'$setElementOrder/ports':[{'port':443}],'ports':[{'$patch':'delete','port':80}]}} |\
      {'kind':'Service','spec':{'ports':[{'port':443}]}}
      lists without a strategy are replaced |\
      {'kind':'Node','spec':{'taints':[{'key':'a','effect':'NoSchedule'}]}} |\
      {'spec':{'taints':[{'key':'b','effect':'NoExecute'}]}} |\
      {'kind':'Node','spec':{'taints':[{'key':'b','effect':'NoExecute'}]}}
      pod tolerations are replaced |\
      {'kind':'Pod','spec':{'tolerations':[{'key':'a'}]}} |\
      {'spec':{'tolerations':[{'key':'b'}]}} |\
      {'kind':'Pod','spec':{'tolerations':[{'key':'b'}]}}
      container ports merge by containerPort |\
      {'kind':'Pod','spec':{'containers':[{'name':'c','ports':[{'containerPort':80},{'containerPort':81}]}]}} |\
      {'spec':{'containers':[{'name':'c','ports':[{'containerPort':81,'name':'x'}]}]}} |\
      {'kind':'Pod','spec':{'containers':[{'name':'c','ports':[{'containerPort':80},{'containerPort':81,'name':'x'}]}]}}
      volumes by name and volumeMounts by mountPath |\
      {'kind':'DaemonSet','spec':{'template':{'spec':{'volumes':[{'name':'v','emptyDir':{}}],'containers':[{'name':'c','volumeMounts':[{'name':'v','mountPath':'/a'}]}]}}}} |\
      {'spec':{'template':{'spec':{'volumes':[{'name':'w','hostPath':{'path':'/w'}}],'containers':[{'name':'c','volumeMounts':[{'name':'w','mountPath':'/a'}]}]}}}} |\
      {'kind':'DaemonSet','spec':{'template':{'spec':{'volumes':[{'name':'v','emptyDir':{}},{'name':'w','hostPath':{'path':'/w'}}],'containers':[{'name':'c','volumeMounts':[{'name':'w','mountPath':'/a'}]}]}}}}
      finalizers merge as a set |\
      {'kind':'Service','metadata':{'finalizers':['a','b']}} |\
      {'metadata':{'finalizers':['b','c']}} |\
      {'kind':'Service','metadata':{'finalizers':['a','b','c']}}
      $deleteFromPrimitiveList |\
      {'kind':'Service','metadata':{'finalizers':['a','b']}} |\
      {'metadata':{'$deleteFromPrimitiveList/finalizers':['a']}} |\
      {'kind':'Service','metadata':{'finalizers':['b']}}
      $retainKeys drops fields not listed |\
      {'kind':'Deployment','spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}} |\
      {'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}} |\
      {'kind':'Deployment','spec':{'strategy':{'type':'Recreate'}}}
      $patch replace on a map |\
      {'kind':'Service','spec':{'selector':{'a':'1','b':'2'}}} |\
      {'spec':{'selector':{'$patch':'replace','c':'3'}}} |\
      {'kind':'Service','spec':{'selector':{'c':'3'}}}
      $patch replace on a keyed list |\
      {'kind':'Pod','spec':{'containers':[{'name':'a'},{'name':'b'}]}} |\
      {'spec':{'containers':[{'name':'c'},{'$patch':'replace'}]}} |\
      {'kind':'Pod','spec':{'containers':[{'name':'c'}]}}
      $setElementOrder reorders; server-only items interleave by live position |\
      {'kind':'Pod','spec':{'containers':[{'name':'a'},{'name':'s'},{'name':'b'}]}} |\
      {'spec':{'$setElementOrder/containers':[{'name':'b'},{'name':'a'}],'containers':[{'name':'a','image':'x'}]}} |\
      {'kind':'Pod','spec':{'containers':[{'name':'s'},{'name':'b'},{'name':'a','image':'x'}]}}
      new keyed elements lose their directives |\
      {'kind':'Pod','spec':{'containers':[]}} |\
      {'spec':{'containers':[{'name':'n','$setElementOrder/env':[{'name':'E'}],'env':[{'name':'E','value':'1'}]}]}} |\
      {'kind':'Pod','spec':{'containers':[{'name':'n','env':[{'name':'E','value':'1'}]}]}}
      """)
  void strategic(String name, String original, String patch, String expected) {
    JsonNode result = StrategicMerge.strategic(json(original), json(patch));
    assertThat(result).isEqualTo(json(expected));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      null deletes, lists are replaced |\
      {'kind':'Service','metadata':{'annotations':{'a':'1'}},'spec':{'ports':[{'port':80},{'port':81}]}} |\
      {'metadata':{'annotations':{'a':null}},'spec':{'ports':[{'port':81}]}} |\
      {'kind':'Service','metadata':{'annotations':{}},'spec':{'ports':[{'port':81}]}}
      dollar keys are plain data |\
      {'kind':'Widget','spec':{}} |\
      {'spec':{'$patch':'delete'}} |\
      {'kind':'Widget','spec':{'$patch':'delete'}}
      """)
  void jsonMerge(String name, String original, String patch, String expected) {
    assertThat(StrategicMerge.jsonMerge(json(original), json(patch))).isEqualTo(json(expected));
  }

  private static JsonNode json(String singleQuoted) {
    return Json.parse(singleQuoted.trim().replace('\'', '"'));
  }
}
