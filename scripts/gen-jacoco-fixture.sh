#!/usr/bin/env bash
# Writes the JaCoCo XML fixture, tests/fixtures/evidence/coverage/jacoco/, from a real run of
# the JaCoCo agent and JaCoCo's own report writer over a small Maven-layout Java project.
#
#   scripts/gen-jacoco-fixture.sh
#
# Needs a JDK (javac, java; 11 or later) and JaCoCo's jars from Debian's `libjacoco-java`
# (`apt-get install libjacoco-java`: the agent, org.jacoco.core and org.jacoco.report, with
# ASM from `libasm-java`). No build tool and no download: the project is compiled with javac,
# its test driver run under the agent (`-javaagent:...=destfile=...`), and
# the execution data turned into XML by a ten-line program on JaCoCo's report API, which is
# what the `jacoco:report` Maven goal and the JaCoCo command line call. The versions used are
# written into the fixture's README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

jars=${JACOCO_JARS:-/usr/share/java}
for j in org.jacoco.agent.rt org.jacoco.core org.jacoco.report asm asm-commons asm-tree; do
    if [[ ! -f $jars/$j.jar ]]; then
        echo "missing $jars/$j.jar: apt-get install libjacoco-java" >&2
        exit 2
    fi
done
out=tests/fixtures/evidence/coverage/jacoco
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The project: sources under the Maven layout, as committed beside the report.
rm -rf "$out/src"
mkdir -p "$out/src/main/java/com/shop/pay" "$out/src/test/java/com/shop"
cat >"$out/src/main/java/com/shop/Cart.java" <<'JAVA'
package com.shop;

import java.util.ArrayList;
import java.util.List;

/** A shopping cart. */
public class Cart {
    private final List<Integer> prices = new ArrayList<>();

    public void add(int price) {
        if (price < 0) {
            throw new IllegalArgumentException("negative price");
        }
        prices.add(price);
    }

    public int total() {
        int sum = 0;
        for (int p : prices) {
            sum += p;
        }
        return sum;
    }
}
JAVA
cat >"$out/src/main/java/com/shop/pay/Payouts.java" <<'JAVA'
package com.shop.pay;

/** Payouts to sellers. */
public final class Payouts {
    private Payouts() {
    }

    public static int fee(int amount) {
        if (amount > 1000) {
            return amount / 50;
        }
        return amount / 20;
    }

    public static int refund(int amount, int fee) {
        return amount - fee;
    }
}
JAVA
cat >"$out/src/main/java/com/shop/Unused.java" <<'JAVA'
package com.shop;

/** Code no test runs. */
public final class Unused {
    private Unused() {
    }

    public static String hello() {
        return "hello";
    }
}
JAVA
cat >"$out/src/test/java/com/shop/CartTest.java" <<'JAVA'
package com.shop;

import com.shop.pay.Payouts;

/** The test run: plain assertions, no test framework needed. */
public final class CartTest {
    private CartTest() {
    }

    public static void main(String[] args) {
        Cart cart = new Cart();
        cart.add(3);
        cart.add(4);
        check(cart.total() == 7, "total");
        check(Payouts.fee(100) == 5, "fee");
        System.out.println("2 passed, 0 failed");
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
JAVA

# The report writer: JaCoCo's report API, as its Maven goal and command line use it.
mkdir -p "$work/tool"
cat >"$work/tool/Report.java" <<'JAVA'
import java.io.File;
import java.io.FileOutputStream;
import org.jacoco.core.analysis.Analyzer;
import org.jacoco.core.analysis.CoverageBuilder;
import org.jacoco.core.tools.ExecFileLoader;
import org.jacoco.report.IReportVisitor;
import org.jacoco.report.xml.XMLFormatter;

public final class Report {
    public static void main(String[] a) throws Exception {
        ExecFileLoader exec = new ExecFileLoader();
        exec.load(new File(a[0]));
        CoverageBuilder builder = new CoverageBuilder();
        new Analyzer(exec.getExecutionDataStore(), builder).analyzeAll(new File(a[1]));
        try (FileOutputStream out = new FileOutputStream(a[2])) {
            IReportVisitor v = new XMLFormatter().createVisitor(out);
            v.visitInfo(exec.getSessionInfoStore().getInfos(), exec.getExecutionDataStore().getContents());
            v.visitBundle(builder.getBundle(a[3]), null);
            v.visitEnd();
        }
    }
}
JAVA
cp="$jars/org.jacoco.core.jar:$jars/org.jacoco.report.jar:$jars/asm.jar:$jars/asm-commons.jar:$jars/asm-tree.jar"
javac -d "$work/tool" -cp "$cp" "$work/tool/Report.java"

# Compile (class files JaCoCo 0.8.6 knows: Java 11), run the tests under the agent, report.
mkdir -p "$work/classes" "$work/test-classes"
javac --release 11 -g -d "$work/classes" $(find "$out/src/main/java" -name '*.java' | sort)
javac --release 11 -g -cp "$work/classes" -d "$work/test-classes" \
    $(find "$out/src/test/java" -name '*.java' | sort)
# Debian ships the agent's classes unshaded and without the manifest that makes a jar an
# agent: a jar holding only that manifest names its entry point and puts the agent's
# classes, JaCoCo's core and ASM on the class path, as the upstream jacocoagent.jar has
# them inside.
mkdir -p "$work/agent"
printf 'Premain-Class: org.jacoco.agent.rt.internal.PreMain\nClass-Path: %s\n' \
    "$(for j in org.jacoco.agent.rt org.jacoco.core asm asm-commons asm-tree; do
        printf '%s ' "file:$jars/$j.jar"
    done)" >"$work/agent/MANIFEST.MF"
jar --create --file "$work/jacocoagent.jar" --manifest "$work/agent/MANIFEST.MF"
# `includes`: the agent's own classes are on the class path here, not hidden inside it.
java "-javaagent:$work/jacocoagent.jar=destfile=$work/jacoco.exec,includes=com.shop.*" \
    -cp "$work/classes:$work/test-classes" com.shop.CartTest
java -cp "$work/tool:$cp" Report "$work/jacoco.exec" "$work/classes" "$out/jacoco.xml" shop

jacoco_version=$(dpkg-query -W -f='${Version}' libjacoco-java 2>/dev/null || echo unknown)
asm_version=$(dpkg-query -W -f='${Version}' libasm-java 2>/dev/null || echo unknown)
java_version=$(java -version 2>&1 | head -n 1)
cat >"$out/README.md" <<MD
# A JaCoCo XML report from a real run

Written by \`scripts/gen-jacoco-fixture.sh\` (rerun it to regenerate; it needs a JDK and
Debian's \`libjacoco-java\`):

- \`src/\`: a small project in Maven's layout; \`src/test/java/com/shop/CartTest.java\` is the
  test run (plain assertions, no test framework), which never calls \`Unused\` nor
  \`Payouts.refund\` and never adds a negative price.
- \`jacoco.xml\`: the JaCoCo agent recorded that run (\`-javaagent:\`, Debian's
  \`org.jacoco.agent.rt.jar\` behind a jar holding only the agent manifest),
  and JaCoCo's XML formatter wrote the report (\`org.jacoco.report.xml.XMLFormatter\`, the
  writer behind \`mvn jacoco:report\` and the JaCoCo command line). Its paths are
  \`package/sourcefile\` (\`com/shop/pay/Payouts.java\`), relative to \`src/main/java\`; its
  \`<!DOCTYPE>\` names \`report.dtd\`.

Versions: JaCoCo $jacoco_version (Debian \`libjacoco-java\`), ASM $asm_version (\`libasm-java\`),
$java_version; classes compiled with \`javac --release 11\`.
MD
echo "wrote $out/jacoco.xml"
