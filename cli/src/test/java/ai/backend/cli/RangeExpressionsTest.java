package ai.backend.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RangeExpressionsTest {
    @Test
    void parsesTheThreeKinds() {
        assertThat(RangeExpressions.parse("x=case:a,b,c").getValue()).containsExactly("a", "b", "c");
        assertThat(RangeExpressions.parse("n=range:1,4").getValue()).containsExactly("1", "2", "3");
        assertThat(RangeExpressions.parse("n=range:10,0,-5").getValue()).containsExactly("10", "5");
        assertThat(RangeExpressions.parse("f=linspace:0,1,3").getValue()).containsExactly("0.0", "0.5", "1.0");
    }

    @Test
    void refusesBadExpressionsWithClearMessages() {
        assertThatThrownBy(() -> RangeExpressions.parse("1x=case:a")).hasMessageContaining("Invalid variable name '1x'");
        assertThatThrownBy(() -> RangeExpressions.parse("x=grid:1,2")).hasMessageContaining("Unrecognized range expression type 'grid'");
        assertThatThrownBy(() -> RangeExpressions.parse("x=range:a,b")).hasMessageContaining("Invalid number");
        assertThatThrownBy(() -> RangeExpressions.parse("x=linspace:0,1,1")).hasMessageContaining("num must be");
        assertThatThrownBy(() -> RangeExpressions.parse("x=range:1,2,0")).hasMessageContaining("must not be zero");
    }

    @Test
    void substitutesLikePythonStringTemplate() {
        Map<String, String> vars = Map.of("x", "1", "name", "two");
        assertThat(RangeExpressions.substitute("a=$x b=${name} c=$$x", vars, "-e A")).isEqualTo("a=1 b=two c=$x");
        assertThatThrownBy(() -> RangeExpressions.substitute("$y", vars, "--exec")).hasMessageContaining("Unknown variable $y");
        assertThatThrownBy(() -> RangeExpressions.substitute("cost $5", vars, "-e P")).hasMessageContaining("$$ for a literal $");
    }

    @Test
    void buildsTheCartesianProductWithoutDuplicates() {
        List<RangeExpressions.Case> cases = RangeExpressions.cases(Map.of("MODE", "$m"), "make $t", null,
                List.of("m=case:fast,slow"), List.of("t=case:a,a,b"), List.of());
        assertThat(cases).containsExactly(
                new RangeExpressions.Case(Map.of("MODE", "fast"), "make a", "*"),
                new RangeExpressions.Case(Map.of("MODE", "fast"), "make b", "*"),
                new RangeExpressions.Case(Map.of("MODE", "slow"), "make a", "*"),
                new RangeExpressions.Case(Map.of("MODE", "slow"), "make b", "*"));
        assertThat(RangeExpressions.cases(Map.of(), null, "python main.py", List.of(), List.of(), List.of()))
                .containsExactly(new RangeExpressions.Case(Map.of(), "*", "python main.py"));
    }
}
