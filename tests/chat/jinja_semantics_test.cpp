// Language semantics of the Jinja engine, case by case: each entry is a
// small template, a JSON context, and what Python Jinja2 3.1.6 (configured
// as transformers configures it, strftime_now pinned to 2025-06-15 10:30)
// renders for it, or the Python exception class it raises. The expected
// values were produced by running Jinja2 itself on these exact inputs; they
// cover printing of Python values, undefined, truthiness, operators,
// slicing, loops, scoping (including Jinja2's compile-time frames: a name
// assigned later in a frame is undefined in frames nested before that),
// macros/caller, filters, tests, str/dict/list
// methods, the immutable sandbox, globals and whitespace control.
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "chat/jinja/template.h"

namespace hako {
namespace {

struct SemanticsCase {
  const char* name;
  const char* source;
  const char* context;     // JSON object
  const char* output;      // expected rendering ("" when error_class is set)
  const char* error_class; // Python exception class, or "" for success
};

const SemanticsCase kCases[] = {
    {"print_numbers", "{{ 1 }} {{ 1.0 }} {{ 0.1 + 0.2 }} {{ 1e16 }} {{ 1e15 }} {{ 0.0001 }} {{ 1e-5 }} {{ -0.0 }} {{ 10 / 4 }} {{ 3 // 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 7.5 % 2 }} {{ 2 ** 10 }} {{ 2 ** 3 ** 2 }} {{ 2 ** -1 }}",
     "{}", "1 1.0 0.30000000000000004 1e+16 1000000000000000.0 0.0001 1e-05 -0.0 2.5 1 -4 2 1.5 1024 64 0.5", ""},
    {"print_constants", "{{ true }} {{ True }} {{ none }} {{ None }} {{ false }}",
     "{}", "True True None None False", ""},
    {"print_containers", "{{ [1, 'a', none, true, 2.5] }} {{ {'k': \"it's\", 'n': [1, (2, 3)]} }} {{ (1,) }} {{ () }} {{ x }}",
     "{\"x\": {\"a\": \"b\\n\\\"c\", \"u\": \"日本\"}}", "[1, 'a', None, True, 2.5] {'k': \"it's\", 'n': [1, (2, 3)]} (1,) () {'a': 'b\\n\"c', 'u': '日本'}", ""},
    {"print_string_filter", "{{ d|string }}|{{ l|string }}|{{ none|string }}|{{ 5|string }}",
     "{\"d\": {\"a\": 1, \"b\": [true, null]}, \"l\": [\"x\", \"y's\"]}", "{'a': 1, 'b': [True, None]}|['x', \"y's\"]|None|5", ""},
    {"print_tuple_expression", "{{ 1, 'a' }}",
     "{}", "(1, 'a')", ""},
    {"undefined_prints_empty", "[{{ missing }}][{{ d.missing }}][{{ d['missing'] }}][{{ l[10] }}][{{ none.attr }}]",
     "{\"d\": {}, \"l\": [1]}", "[][][][][]", ""},
    {"undefined_tests", "{{ missing is defined }} {{ missing is undefined }} {{ d.a is defined }} {{ missing|default('dflt') }} {{ ''|default('e') }} {{ ''|default('e', true) }} {{ missing|length }} {{ missing|trim }}|{% for x in missing %}x{% endfor %}",
     "{\"d\": {\"a\": 0}}", "False True True dflt  e 0 |", ""},
    {"undefined_attribute_raises", "{{ missing.attr }}",
     "{}", "", "UndefinedError"},
    {"undefined_item_raises", "{{ missing['k'] }}",
     "{}", "", "UndefinedError"},
    {"undefined_nested_raises", "{{ d.a.b }}",
     "{\"d\": {}}", "", "UndefinedError"},
    {"undefined_call_raises", "{{ s.items() }}",
     "{\"s\": \"text\"}", "", "UndefinedError"},
    {"undefined_arith_raises", "{{ missing + 1 }}",
     "{}", "", "UndefinedError"},
    {"undefined_concat_ok", "{{ 'a' ~ missing ~ 'b' }}",
     "{}", "ab", ""},
    {"undefined_compare", "{{ missing == none }} {{ missing == missing2 }} {{ missing != 1 }}",
     "{}", "False True True", ""},
    {"truthiness", "{% for v in [[], {}, '', 0, 0.0, none, [0], 'a', 1, -1] %}{{ 'T' if v else 'F' }}{% endfor %}",
     "{}", "FFFFFFTTTT", ""},
    {"and_or_values", "{{ 0 or 'x' }} {{ 1 and 'y' }} {{ '' and 'z' }}|{{ none or none }} {{ not [] }}",
     "{}", "x y |None True", ""},
    {"ternary_without_else", "[{{ 'yes' if false }}] [{{ 'yes' if true }}]",
     "{}", "[] [yes]", ""},
    {"chained_comparisons", "{{ 1 < 2 < 3 }} {{ 1 < 3 < 2 }} {{ 2 > 1 == 1 }} {{ 'b' > 'a' }} {{ [1, 2] < [1, 3] }}",
     "{}", "True False True True True", ""},
    {"in_operator", "{{ 'a' in 'cat' }} {{ 2 in [1, 2] }} {{ 'k' in {'k': 1} }} {{ 3 not in [1] }} {{ 'z' in missing }}",
     "{}", "True True True True False", ""},
    {"in_none_raises", "{{ 'a' in none }}",
     "{}", "", "TypeError"},
    {"compare_type_error", "{{ 'a' < 1 }}",
     "{}", "", "TypeError"},
    {"slicing", "{{ s[1:3] }}|{{ s[::-1] }}|{{ s[-2:] }}|{{ l[::2] }}|{{ l[-1:0:-2] }}|{{ l[5:] }}|{{ s[0] }}{{ s[-1] }}",
     "{\"s\": \"héllo日本\", \"l\": [1, 2, 3, 4, 5]}", "él|本日olléh|日本|[1, 3, 5]|[5, 3]|[]|h本", ""},
    {"string_length_codepoints", "{{ s|length }} {{ s|upper }} {{ s|lower }}",
     "{\"s\": \"日本語ÉCOLE\"}", "8 日本語ÉCOLE 日本語école", ""},
    {"string_concat_ops", "{{ 'ab' ~ 1 ~ none }} {{ 'ab' + 'cd' }} {{ 'ab' * 3 }} {{ [1] * 2 + [3] }} {{ 3 * 'x' }}",
     "{}", "ab1None abcd ababab [1, 1, 3] xxx", ""},
    {"string_plus_int_raises", "{{ 'a' + 1 }}",
     "{}", "", "TypeError"},
    {"string_plus_dict_raises", "{{ 'a' + d }}",
     "{\"d\": {}}", "", "TypeError"},
    {"percent_format", "{{ '%s-%d-%05.2f-%x-%r' % ('a', 42, 3.14159, 255, 'q') }} {{ '%(a)s!' % {'a': 1} }} {{ '%s' % none }} {{ '%-4s|' % 'ab' }}",
     "{}", "a-42-03.14-ff-'q' 1! None ab  |", ""},
    {"loop_variables", "{% for x in ['a', 'b', 'c'] %}{{ loop.index }}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}[{{ loop.previtem }}|{{ loop.nextitem }}]{{ loop.cycle('o', 'e') }} {% endfor %}",
     "{}", "1032TrueFalse3[|b]o 2121FalseFalse3[a|c]e 3210FalseTrue3[b|]o ", ""},
    {"loop_changed", "{% for x in [1, 1, 2, 2, 1] %}{{ loop.changed(x) }} {% endfor %}",
     "{}", "True False True False True ", ""},
    {"loop_else_and_filter", "{% for x in [] %}x{% else %}empty{% endfor %}|{% for x in [1, 2, 3, 4] if x is even %}{{ x }}{{ loop.index }}/{{ loop.length }} {% endfor %}|{% for x in [1] if x > 5 %}{% else %}none{% endfor %}",
     "{}", "empty|21/2 42/2 |none", ""},
    {"loop_break_continue", "{% for x in range(10) %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 5 %}{% break %}{% endif %}{{ x }}{% endfor %}",
     "{}", "0134", ""},
    {"loop_unpacking", "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}{% for a, (b, c) in [(1, (2, 3))] %}{{ a }}{{ b }}{{ c }}{% endfor %}{% for k in d %}{{ k }}{% endfor %}",
     "{\"d\": {\"z\": 1, \"a\": 2}}", "z=1;a=2;123za", ""},
    {"loop_over_string_and_dict", "{% for c in 'héy' %}[{{ c }}]{% endfor %}{% for k in {'b': 1, 'a': 2} %}{{ k }}{% endfor %}",
     "{}", "[h][é][y]ba", ""},
    {"loop_unpack_mismatch", "{% for a, b in [[1, 2, 3]] %}{% endfor %}",
     "{}", "", "ValueError"},
    {"loop_over_none_raises", "{% for x in none %}{% endfor %}",
     "{}", "", "TypeError"},
    {"loop_recursive", "{% for n in tree recursive %}<{{ n.name }}{{ loop.depth }}{% if n.children %}{{ loop(n.children) }}{% endif %}>{% endfor %}",
     "{\"tree\": [{\"name\": \"a\", \"children\": [{\"name\": \"b\", \"children\": [{\"name\": \"c\"}]}]}, {\"name\": \"d\"}]}", "<a1<b2<c3>>><d1>", ""},
    {"nested_loop_index", "{% for a in [1, 2] %}{% for b in [3, 4] %}{{ loop.index }}{% endfor %}{{ loop.index }}{% endfor %}",
     "{}", "121122", ""},
    {"scope_loop_does_not_leak", "{% set x = 1 %}{% for i in range(3) %}[{{ x }}]{% set x = i + 10 %}({{ x }}){% endfor %}{{ x }}",
     "{}", "[1](10)[1](11)[1](12)1", ""},
    {"scope_if_leaks", "{% set x = 1 %}{% if true %}{% set x = 2 %}{% endif %}{{ x }}",
     "{}", "2", ""},
    {"scope_namespace", "{% set ns = namespace(total=0, items=[]) %}{% for i in range(4) %}{% set ns.total = ns.total + i %}{% set ns.items = ns.items + [i] %}{% endfor %}{{ ns.total }} {{ ns.items }} {{ ns.missing }}|{{ ns }}",
     "{}", "6 [0, 1, 2, 3] |<Namespace {'total': 6, 'items': [0, 1, 2, 3]}>", ""},
    {"scope_macro_sees_caller_time_globals", "{% set x = 1 %}{% macro m() %}{{ x }}{% set x = 5 %}{{ x }}{% endmacro %}{% set x = 3 %}{{ m() }}{{ x }}",
     "{}", "353", ""},
    {"scope_set_block", "{% set b | upper %}hi {{ 'there' }}{% set q = 3 %}{% endset %}{{ b }}[{{ q }}]",
     "{}", "HI THERE[]", ""},
    {"scope_with", "{% set a = 1 %}{% with a = 2, b = a + 10 %}{{ a }}{{ b }}{% endwith %}{{ a }}",
     "{}", "2111", ""},
    {"set_tuple_unpack", "{% set a, b = 1, 2 %}{{ a }}{{ b }}{% set c, d = 'xy' %}{{ d }}{{ c }}",
     "{}", "12yx", ""},
    {"set_attr_on_non_namespace", "{% set d = {} %}{% set d.x = 1 %}",
     "{}", "", "TemplateRuntimeError"},
    {"macro_defaults_and_kwargs", "{% macro m(a, b=a + 1, c='z') %}{{ a }}{{ b }}{{ c }}{% endmacro %}{{ m(1) }} {{ m(1, c='q') }} {{ m(b=5, a=2) }}",
     "{}", "12z 12q 25z", ""},
    {"macro_missing_param_is_undefined", "{% macro m(a) %}[{{ a }}]{{ a is defined }}{% endmacro %}{{ m() }}",
     "{}", "[]False", ""},
    {"macro_default_from_missing_param_raises", "{% macro m(a, b=a + 1) %}{% endmacro %}{{ m() }}",
     "{}", "", "UndefinedError"},
    {"macro_varargs_kwargs", "{% macro m(a) %}{{ a }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, 3, x=4) }}",
     "{}", "1(2, 3){'x': 4}", ""},
    {"macro_too_many_args", "{% macro m(a) %}{% endmacro %}{{ m(1, 2) }}",
     "{}", "", "TypeError"},
    {"macro_unknown_kwarg", "{% macro m(a) %}{% endmacro %}{{ m(b=1) }}",
     "{}", "", "TypeError"},
    {"macro_caller", "{% macro box(title) %}[{{ title }}:{{ caller() }}]{% endmacro %}{% call box('t') %}body {{ 1 + 1 }}{% endcall %}",
     "{}", "[t:body 2]", ""},
    {"macro_caller_args", "{% macro each(items) %}{% for i in items %}{{ caller(i, loop.index) }}{% endfor %}{% endmacro %}{% call(item, n) each(['a', 'b']) %}{{ n }}={{ item }};{% endcall %}",
     "{}", "1=a;2=b;", ""},
    {"macro_recursion", "{% macro fact(n) %}{% if n <= 1 %}1{% else %}{{ n * fact(n - 1)|int }}{% endif %}{% endmacro %}{{ fact(6) }}",
     "{}", "720", ""},
    {"macro_returns_string", "{% macro m() %}42{% endmacro %}{{ m() is string }} {{ m()|int + 1 }}",
     "{}", "True 43", ""},
    {"filter_map_select", "{{ users|map(attribute='name')|join(', ') }}|{{ users|selectattr('admin')|map(attribute='name')|list }}|{{ users|rejectattr('admin')|map(attribute='name')|first }}|{{ users|selectattr('name', 'equalto', 'b')|list|length }}|{{ ['a', 'B']|map('upper')|list }}|{{ users|map(attribute='age', default=0)|list }}",
     "{\"users\": [{\"name\": \"a\", \"admin\": true, \"age\": 3}, {\"name\": \"b\", \"admin\": false}]}", "a, b|['a']|b|1|['A', 'B']|[3, 0]", ""},
    {"filter_select_tests", "{{ [1, 2, 3, 4]|select('odd')|list }} {{ [1, 2, 3]|reject('equalto', 2)|list }} {{ [0, 1, '', 'x']|select|list }} {{ [1, 5, 10]|select('>', 3)|list }} {{ items|selectattr('x', 'defined')|list|length }}",
     "{\"items\": [{\"x\": 1}, {}]}", "[1, 3] [1, 3] [1, 'x'] [5, 10] 1", ""},
    {"filter_generator_tojson_fails", "{{ [1, 2]|map('string')|tojson }}",
     "{}", "", "TypeError"},
    {"filter_generator_length_fails", "{{ [1, 2]|select|length }}",
     "{}", "", "TypeError"},
    {"filter_dictsort_items", "{{ d|dictsort }} {{ d|dictsort(reverse=true) }} {{ d|dictsort(by='value') }} {{ d|items|list }} {{ {'B': 1, 'a': 2}|dictsort }} {{ {'B': 1, 'a': 2}|dictsort(true) }}",
     "{\"d\": {\"b\": 2, \"a\": 3, \"c\": 1}}", "[('a', 3), ('b', 2), ('c', 1)] [('c', 1), ('b', 2), ('a', 3)] [('c', 1), ('b', 2), ('a', 3)] [('b', 2), ('a', 3), ('c', 1)] [('a', 2), ('B', 1)] [('B', 1), ('a', 2)]", ""},
    {"filter_items_on_string_raises", "{% for k, v in 'abc'|items %}{% endfor %}",
     "{}", "", "TypeError"},
    {"filter_sort_unique", "{{ [3, 1, 2]|sort }} {{ ['b', 'A', 'c']|sort }} {{ ['b', 'A', 'c']|sort(case_sensitive=true) }} {{ users|sort(attribute='age', reverse=true)|map(attribute='n')|list }} {{ ['a', 'A', 'b', 'a']|unique|list }} {{ [1, 2, 1]|unique|list }}",
     "{\"users\": [{\"n\": \"x\", \"age\": 1}, {\"n\": \"y\", \"age\": 5}, {\"n\": \"z\", \"age\": 1}]}", "[1, 2, 3] ['A', 'b', 'c'] ['A', 'b', 'c'] ['y', 'x', 'z'] ['a', 'b'] [1, 2]", ""},
    {"filter_first_last_reverse", "{{ [1, 2, 3]|first }} {{ [1, 2, 3]|last }} {{ 'abc'|first }} {{ [1, 2, 3]|reverse|list }} {{ 'abc'|reverse }} [{{ []|first }}] {{ {'a': 1}|first }}",
     "{}", "1 3 a [3, 2, 1] cba [] a", ""},
    {"filter_numbers", "{{ '42'|int }} {{ '3.7'|int }} {{ 'x'|int }} {{ 'x'|int(7) }} {{ '0x1F'|int(0, 16) }} {{ 3.99|int }} {{ '2.5'|float }} {{ 4|float }} {{ -3|abs }} {{ 2.5|round }} {{ 3.5|round }} {{ 2.675|round(2) }} {{ 2.1|round(0, 'ceil') }} {{ [1, 2.5, 3]|sum }} {{ [3, 1, 2]|max }} {{ ['b', 'A']|min }}",
     "{}", "42 3 0 7 31 3 2.5 4.0 3 2.0 4.0 2.67 3.0 6.5 3 A", ""},
    {"filter_text", "[{{ '  a b  '|trim }}] [{{ 'xxaxx'|trim('x') }}] {{ 'hello world'|title }} {{ 'hELLO wORLD'|capitalize }} {{ 'aaa'|replace('a', 'b', 2) }} {{ 'ab'|center(6) }}| {{ 'one two three'|wordcount }} {{ 'a long sentence here'|truncate(9, leeway=0) }} {{ 'x-y z(w'|title }}",
     "{}", "[a b] [a] Hello World Hello world bba   ab  | 3 a... X-Y Z(W", ""},
    {"filter_indent", "{{ 'a\\nb\\n\\nc'|indent(2) }}|{{ 'a\\nb'|indent(2, true) }}|{{ 'a\\n\\nb'|indent('> ', blank=true) }}",
     "{}", "a\n  b\n\n  c|  a\n  b|a\n> \n> b", ""},
    {"filter_join", "{{ [1, 2, 3]|join('-') }} {{ users|join(', ', attribute='n') }} {{ 'abc'|join('.') }} {{ [none, true]|join }}",
     "{\"users\": [{\"n\": \"a\"}, {\"n\": \"b\"}]}", "1-2-3 a, b a.b.c NoneTrue", ""},
    {"filter_tojson", "{{ d|tojson }}|{{ d|tojson(indent=2) }}|{{ s|tojson }}|{{ s|tojson(ensure_ascii=True) }}|{{ [1.0, 2, none, true, (1, 2)]|tojson }}|{{ d|tojson(sort_keys=true) }}|{{ {}|tojson(indent=4) }}|{{ {1: 'int key', none: 'n'}|tojson }}",
     "{\"d\": {\"b\": [1, {\"x\": \"y\"}], \"a\": \"\\u65e5\\n\\t\\\"\"}, \"s\": \"<tag> & 'q' \\u00e9 \\ud83d\\ude00\"}", "{\"b\": [1, {\"x\": \"y\"}], \"a\": \"日\\n\\t\\\"\"}|{\n  \"b\": [\n    1,\n    {\n      \"x\": \"y\"\n    }\n  ],\n  \"a\": \"日\\n\\t\\\"\"\n}|\"<tag> & 'q' é 😀\"|\"<tag> & 'q' \\u00e9 \\ud83d\\ude00\"|[1.0, 2, null, true, [1, 2]]|{\"a\": \"日\\n\\t\\\"\", \"b\": [1, {\"x\": \"y\"}]}|{}|{\"1\": \"int key\", \"null\": \"n\"}", ""},
    {"filter_tojson_undefined_fails", "{{ missing|tojson }}",
     "{}", "", "TypeError"},
    {"filter_batch_groupby_slice", "{{ [1, 2, 3, 4, 5]|batch(2)|list }} {{ [1, 2, 3]|batch(2, 0)|list }} {% for g, items in people|groupby('city') %}{{ g }}:{{ items|map(attribute='n')|join(',') }};{% endfor %} {{ [1, 2, 3, 4, 5]|slice(2)|list }}",
     "{\"people\": [{\"n\": \"a\", \"city\": \"Tokyo\"}, {\"n\": \"b\", \"city\": \"Osaka\"}, {\"n\": \"c\", \"city\": \"Tokyo\"}]}", "[[1, 2], [3, 4], [5]] [[1, 2], [3, 0]] Osaka:b;Tokyo:a,c; [[1, 2, 3], [4, 5]]", ""},
    {"filter_format_escape_safe", "{{ '%s and %s'|format('a', 'b') }} {{ '<b>'|e }} {{ '<b>'|safe }} {{ ('x'|safe + '<y>') }} {{ ('<y>' + 'x'|safe) }} {{ 'x'|safe ~ '<y>' }} {{ '<a>'|safe is escaped }} {{ '<a>'|forceescape }}",
     "{}", "a and b &lt;b&gt; <b> x&lt;y&gt; &lt;y&gt;x x<y> True &lt;a&gt;", ""},
    {"filter_count_list", "{{ [1, 2]|count }} {{ 'abc'|list }} {{ {'a': 1}|list }} {{ (1, 2)|list }}",
     "{}", "2 ['a', 'b', 'c'] ['a'] [1, 2]", ""},
    {"filter_length_of_none_raises", "{{ none|length }}",
     "{}", "", "TypeError"},
    {"tests_types", "{% for v in ['s', 1, 1.5, true, none, [1], {'a': 1}, (1,)] %}{{ v is string }}{{ v is number }}{{ v is integer }}{{ v is float }}{{ v is boolean }}{{ v is none }}{{ v is mapping }}{{ v is sequence }}{{ v is iterable }};{% endfor %}",
     "{}", "TrueFalseFalseFalseFalseFalseFalseTrueTrue;FalseTrueTrueFalseFalseFalseFalseFalseFalse;FalseTrueFalseTrueFalseFalseFalseFalseFalse;FalseTrueFalseFalseTrueFalseFalseFalseFalse;FalseFalseFalseFalseFalseTrueFalseFalseFalse;FalseFalseFalseFalseFalseFalseFalseTrueTrue;FalseFalseFalseFalseFalseFalseTrueTrueTrue;FalseFalseFalseFalseFalseFalseFalseTrueTrue;", ""},
    {"tests_misc", "{{ 6 is divisibleby 3 }} {{ 7 is divisibleby(3) }} {{ 3 is odd }} {{ 4 is even }} {{ 2 is in [1, 2] }} {{ 'a' is eq 'a' }} {{ 'abc' is lower }} {{ 'ABC' is upper }} {{ 5 is gt 3 }} {{ 5 is ge 6 }} {{ none is sameas none }} {{ 'upper' is filter }} {{ 'string' is test }} {{ range is callable }} {{ x is not none }}",
     "{\"x\": 0}", "True False True True True True True True True False True True True True True", ""},
    {"methods_string", "{{ ' a '.strip() }}|{{ 'a,b,,c'.split(',') }}|{{ 'a b  c'.split() }}|{{ 'a,b,c'.split(',', 1) }}|{{ 'a,b,c'.rsplit(',', 1) }}|{{ 'abc'.startswith('a') }}{{ 'abc'.startswith(('x', 'ab')) }}{{ 'abc'.endswith('bc') }}|{{ 'aXbX'.replace('X', '-') }}|{{ 'hello'.find('l') }}{{ 'hello'.rfind('l') }}{{ 'hello'.find('z') }}|{{ '-'.join(['a', 'b']) }}|{{ 'x{}y{k}'.format(1, k=2) }}|{{ 'ab'.upper() }}{{ 'Ab'.lower() }}{{ 'ab cd'.title() }}|{{ 'xxhixx'.lstrip('x') }}{{ 'xxhixx'.rstrip('x') }}|{{ 'a\\nb\\r\\nc'.splitlines() }}|{{ '12'.isdigit() }}{{ 'ab'.isalpha() }}{{ ' '.isspace() }}|{{ 'ab'.count('b') }}|{{ 'abc'.partition('b') }}|{{ '5'.zfill(3) }}|{{ 'ab'.ljust(4, '*') }}{{ 'ab'.rjust(4) }}",
     "{}", "a|['a', 'b', '', 'c']|['a', 'b', 'c']|['a', 'b,c']|['a,b', 'c']|TrueTrueTrue|a-b-|23-1|a-b|x1y2|ABabAb Cd|hixxxxhi|['a', 'b', 'c']|TrueTrueTrue|1|('a', 'b', 'c')|005|ab**  ab", ""},
    {"methods_dict_list", "{{ d.get('a') }} {{ d.get('z', 'dflt') }} {{ d.get('z') }} {{ d.keys()|list }} {{ d.values()|list }} {{ d.items()|list }} {{ d['items'] is defined }} {{ l.index(2) }} {{ l.count(1) }} {{ d.a }} {{ d['a'] }}",
     "{\"d\": {\"a\": 1, \"b\": 2}, \"l\": [1, 2, 1]}", "1 dflt None ['a', 'b'] [1, 2] [('a', 1), ('b', 2)] True 1 2 1 1", ""},
    {"methods_dict_items_key_precedence", "{{ d.items is callable }} {{ d['items'] }}",
     "{\"d\": {\"items\": \"key wins with []\"}}", "True key wins with []", ""},
    {"list_append_immutable_raises", "{% set l = [] %}{% set _ = l.append(1) %}{{ l }}",
     "{}", "", "SecurityError"},
    {"dict_update_immutable_raises", "{% set d = {} %}{% set _ = d.update({'a': 1}) %}",
     "{}", "", "SecurityError"},
    {"list_pop_immutable_raises", "{% set l = [1] %}{{ l.pop() }}",
     "{}", "", "SecurityError"},
    {"globals", "{{ range(3)|list }} {{ range(1, 10, 3)|list }} {{ range(5, 0, -2)|list }} {{ dict(a=1, b=2) }} {{ namespace(a=1).a }} {% set c = cycler('x', 'y') %}{{ c.next() }}{{ c.next() }}{{ c.next() }} {% set j = joiner('|') %}{{ j() }}a{{ j() }}b",
     "{}", "[0, 1, 2] [1, 4, 7] [5, 3, 1] {'a': 1, 'b': 2} 1 xyx a|b", ""},
    {"range_too_big", "{{ range(200000)|length }}",
     "{}", "", "OverflowError"},
    {"raise_exception", "{{ raise_exception('Conversation roles must alternate') }}",
     "{}", "", "TemplateError"},
    {"strftime_now", "{{ strftime_now('%Y-%m-%d %H:%M %A %d %b %Y') }}",
     "{}", "2025-06-15 10:30 Sunday 15 Jun 2025", ""},
    {"ws_trim_lstrip", "<ul>\n  {% for x in [1, 2] %}\n    <li>{{ x }}</li>\n  {% endfor %}\n</ul>\n",
     "{}", "<ul>\n    <li>1</li>\n    <li>2</li>\n</ul>", ""},
    {"ws_minus", "a  \n  {%- if true -%}  \n  b  \n  {%- endif -%}  \n  c",
     "{}", "abc", ""},
    {"ws_plus_disables", "a\n  {%+ if true %}b{% endif +%}\nc",
     "{}", "a\n  b\nc", ""},
    {"ws_comment_and_raw", "x {# a comment #} y\n  {# own line #}\nz {% raw %}{{ not evaluated }}{% endraw %} {{- ' w' }}",
     "{}", "x  y\nz {{ not evaluated }} w", ""},
    {"ws_variable_tags_no_lstrip", "a\n    {{ 'b' }}\n  {{- 'c' -}}  \nd",
     "{}", "a\n    bcd", ""},
    {"ws_crlf_and_trailing_newline", "line1\r\n{% if true %}\r\nline2\r\n{% endif %}\r\n",
     "{}", "line1\nline2\n", ""},
    {"generation_tag", "{% generation %}kept {{ 1 }}{% endgeneration %}",
     "{}", "kept 1", ""},
    {"filter_block", "{% filter upper %}abc {{ 'd' }}{% endfilter %}|{% filter trim|upper %}  x  {% endfilter %}",
     "{}", "ABC D|X", ""},
    {"unknown_filter_in_if_is_lazy", "{% if false %}{{ x|no_such_filter }}{% endif %}ok",
     "{}", "ok", ""},
    {"unknown_filter_in_if_raises_when_reached", "{% if true %}{{ 1|no_such_filter }}{% endif %}",
     "{}", "", "TemplateRuntimeError"},
    {"integer_dict_keys", "{{ {1: 'a', 2: 'b'}[1] }} {{ d[0] }}",
     "{\"d\": {\"0\": \"string key\"}}", "a ", ""},
    {"unicode_quotes_repr", "{{ ['it\\'s', 'say \"hi\"', 'both \\' \"', 'tab\\tnew\\n', '\\u200d', 'é'] }}",
     "{}", "[\"it's\", 'say \"hi\"', 'both \\' \"', 'tab\\tnew\\n', '\\u200d', 'é']", ""},
    {"scope_set_later_hides_context_in_nested_frames", "{% for i in [1] %}[{{ n }}]{% endfor %}{% set n = 5 %}{{ n }}|{% macro m() %}[{{ n }}]{% endmacro %}",
     "{\"n\": 3}", "[]5|", ""},
    {"scope_macro_reads_top_level_after_set", "{% macro m() %}[{{ n }}]{% endmacro %}{{ m() }}{% set n = 5 %}{{ m() }}",
     "{\"n\": 3}", "[][5]", ""},
    {"scope_read_before_set_resolves_context", "{{ n }}{% for i in [1] %}[{{ n }}]{% endfor %}{% set n = 5 %}{{ n }}",
     "{\"n\": 3}", "3[3]5", ""},
    {"scope_set_in_branch_resolves", "{% for i in [1] %}[{{ n }}]{% endfor %}{% if false %}{% set n = 5 %}{% endif %}",
     "{\"n\": 3}", "[3]", ""},
    {"scope_nested_loop_before_set_in_loop", "{% for i in [1] %}{% for j in [1] %}[{{ n }}]{% endfor %}{% set n = 5 %}{% endfor %}",
     "{\"n\": 3}", "[]", ""},
    {"scope_macro_nested_loop_before_set", "{% macro m() %}{% for i in [1] %}[{{ n }}]{% endfor %}{% set n = 5 %}{% endmacro %}{{ m() }}|{% set k = 4 %}{% macro q() %}{% for i in [1] %}[{{ k }}]{% endfor %}{% set k = 5 %}{% endmacro %}{{ q() }}",
     "{\"n\": 3}", "[]|[4]", ""},
    {"scope_generation_block_is_own_frame", "{% generation %}{% set g = 1 %}{{ g }}{% endgeneration %}[{{ g }}]",
     "{}", "1[]", ""},
    {"scope_call_block_frame", "{% macro m() %}{{ caller(1) }}{% endmacro %}{% call(x) m() %}[{{ x }}{{ n }}]{% set n = 2 %}{% endcall %}{% call(x) m() %}{% for q in [1] %}[{{ n }}]{% endfor %}{% set n = 2 %}{% endcall %}",
     "{\"n\": 3}", "[13][]", ""},
};

jinja::Options pinned_options() {
  jinja::Options o;
  std::tm tm{};
  tm.tm_year = 125;
  tm.tm_mon = 5;
  tm.tm_mday = 15;
  tm.tm_hour = 10;
  tm.tm_min = 30;
  tm.tm_wday = 0;
  tm.tm_yday = 165;
  o.fixed_now = tm;
  return o;
}

class JinjaSemantics : public testing::TestWithParam<SemanticsCase> {};

TEST_P(JinjaSemantics, MatchesJinja2) {
  const SemanticsCase& c = GetParam();
  const auto context = nlohmann::ordered_json::parse(c.context);
  std::string got;
  try {
    got = jinja::Template::parse_or_throw(c.source, pinned_options()).render_or_throw(context);
  } catch (const jinja::TemplateError& e) {
    EXPECT_STREQ(c.error_class, std::string(jinja::to_string(e.error_class())).c_str()) << e.what();
    return;
  }
  EXPECT_STREQ(c.error_class, "") << "rendered instead of raising: " << got;
  EXPECT_EQ(got, c.output);
}

INSTANTIATE_TEST_SUITE_P(Cases, JinjaSemantics, testing::ValuesIn(kCases),
                         [](const testing::TestParamInfo<SemanticsCase>& info) { return std::string(info.param.name); });

TEST(JinjaSandbox, MutableSandboxAllowsListAppend) {
  jinja::Options o;
  o.sandbox = jinja::Sandbox::kMutable;
  const auto t = jinja::Template::parse_or_throw(
      "{% set l = [] %}{% set _ = l.append(1) %}{% set _ = l.extend([2, 3]) %}{{ l.pop(0) }}{{ l }}"
      "{% set d = {} %}{% set _ = d.update({'a': 1}) %}{{ d.setdefault('b', 2) }}{{ d }}",
      o);
  EXPECT_EQ(t.render_or_throw(nlohmann::ordered_json::object()), "1[2, 3]2{'a': 1, 'b': 2}");
}

}  // namespace
}  // namespace hako
