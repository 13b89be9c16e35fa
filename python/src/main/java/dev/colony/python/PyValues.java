package dev.colony.python;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Python values (as the unpickler builds them) to the values Colony's codecs store, and back.
 * Scalars keep their codec, so Java reads them as String, byte[], Long, Double or Boolean; None,
 * big ints and containers travel as JSON (a tuple comes back as a list).
 */
final class PyValues {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final int MAX_DEPTH = 100;

  private PyValues() {}

  /** The value to store for a Python value. */
  static Object toColony(Object value) {
    if (value == null) {
      return JSON.nullNode();
    }
    if (value instanceof String
        || value instanceof byte[]
        || value instanceof Boolean
        || value instanceof Double) {
      return value;
    }
    if (value instanceof Integer i) {
      return i.longValue();
    }
    if (value instanceof Long) {
      return value;
    }
    return toJson(value, 0);
  }

  private static JsonNode toJson(Object value, int depth) {
    if (depth > MAX_DEPTH) {
      throw PyRaise.valueError("a value nested deeper than " + MAX_DEPTH + " cannot travel");
    }
    if (value == null) {
      return JSON.nullNode();
    } else if (value instanceof String s) {
      return JSON.textNode(s);
    } else if (value instanceof Boolean b) {
      return JSON.booleanNode(b);
    } else if (value instanceof Integer i) {
      return JSON.numberNode(i.longValue());
    } else if (value instanceof Long l) {
      return JSON.numberNode(l);
    } else if (value instanceof BigInteger b) {
      return JSON.numberNode(b);
    } else if (value instanceof Double d) {
      if (d.isNaN() || d.isInfinite()) {
        throw PyRaise.valueError("nan and inf travel only on their own, not inside a list or dict");
      }
      return JSON.numberNode(d);
    } else if (value instanceof Object[] tuple) {
      ArrayNode array = JSON.arrayNode();
      for (Object item : tuple) {
        array.add(toJson(item, depth + 1));
      }
      return array;
    } else if (value instanceof List<?> list) {
      ArrayNode array = JSON.arrayNode();
      for (Object item : list) {
        array.add(toJson(item, depth + 1));
      }
      return array;
    } else if (value instanceof Map<?, ?> map) {
      ObjectNode object = JSON.objectNode();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw PyRaise.typeError(
              "a dict travels as JSON, so its keys must be str, not " + pyType(e.getKey()));
        }
        object.set(key, toJson(e.getValue(), depth + 1));
      }
      return object;
    }
    if (value instanceof PyRefs.Proxy proxy) {
      throw PyRaise.typeError(
          "a proxy ("
              + proxy.typeid()
              + " "
              + proxy.ident()
              + ") cannot be stored in a Colony object: only plain data travels. Give the object"
              + " a name (e.g. s.Lock(name=\"x\")) and send the name instead");
    }
    if (value instanceof PyRefs.Global global) {
      throw PyRaise.typeError(
          global + " is a function or class, and callables never cross to Colony: send plain data");
    }
    throw PyRaise.typeError(
        "a "
            + pyType(value)
            + " cannot travel to Colony"
            + (depth > 0 ? " inside a list or dict" : "")
            + ": send None, bool, int, float, str, bytes, or lists, tuples and dicts of them");
  }

  /** The Python value for a stored value. */
  static Object toPython(Object value) {
    if (value instanceof JsonNode node) {
      return fromJson(node);
    }
    if (value instanceof Integer
        || value instanceof Short
        || value instanceof Byte
        || value instanceof Float) {
      return value instanceof Float f ? (Object) f.doubleValue() : ((Number) value).longValue();
    }
    if (value instanceof Character c) {
      return c.toString();
    }
    return value;
  }

  private static Object fromJson(JsonNode node) {
    if (node.isNull() || node.isMissingNode()) {
      return null;
    } else if (node.isBoolean()) {
      return node.booleanValue();
    } else if (node.isIntegralNumber()) {
      return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
    } else if (node.isNumber()) {
      return node.doubleValue();
    } else if (node.isTextual()) {
      return node.textValue();
    } else if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      for (JsonNode item : node) {
        list.add(fromJson(item));
      }
      return list;
    } else if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        map.put(e.getKey(), fromJson(e.getValue()));
      }
      return map;
    } else if (node.isBinary()) {
      try {
        return node.binaryValue();
      } catch (java.io.IOException e) {
        return node.asText();
      }
    }
    return node.asText();
  }

  static List<Object> toPythonList(Collection<?> values) {
    List<Object> list = new ArrayList<>(values.size());
    for (Object v : values) {
      list.add(toPython(v));
    }
    return list;
  }

  static String pyType(Object value) {
    if (value == null) {
      return "NoneType";
    } else if (value instanceof String) {
      return "str";
    } else if (value instanceof byte[]) {
      return "bytes";
    } else if (value instanceof Boolean) {
      return "bool";
    } else if (value instanceof Number n) {
      return n instanceof Double ? "float" : "int";
    } else if (value instanceof Object[]) {
      return "tuple";
    } else if (value instanceof List) {
      return "list";
    } else if (value instanceof Map) {
      return "dict";
    } else if (value instanceof java.util.Set) {
      return "set";
    } else if (value instanceof PyRefs.Slice) {
      return "slice";
    } else if (value instanceof PyRefs.Proxy p) {
      return p.typeid() + " proxy";
    } else if (value instanceof PyRefs.Global) {
      return "function";
    }
    return value.getClass().getSimpleName();
  }
}
