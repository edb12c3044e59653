"""LALR(1) tables of grammar/capplan.lark for capplan.lang.lalr: GENERATED, do not edit.

Regenerate with `python -m capplan.lang.lalr_export` (tests/test_parser_fast.py checks them).
STATES[state] = (lexer index, {symbol: action}): action >= 0 shifts to that state, action < 0
reduces RULES[~action] = (origin, length, tree node name, a single child replaces the node,
((child index, splice its children), ...) or None for every child). LEXERS[index] = (the
terminals tried, in order: the first whose TERMINALS regular expression matches is the token,
{terminal: {text: keyword terminal}}).
"""
# fmt: off
# flake8: noqa

GRAMMAR_CRC32 = 3824522221
LARK_VERSION = '1.3.1'
START_STATE = 98
END_STATE = 89
IGNORE = frozenset(['COMMENT', '__IGNORE_0'])
NEWLINE_TYPES = frozenset(['COMMENT', 'STRING', '_NL'])

RULES = (
    ('start', 3, 'start', False, ((0, True), (1, True), (2, True))),
    ('start', 2, 'start', False, ((0, True), (1, True))),
    ('start', 2, 'start', False, ((0, True), (1, True))),
    ('start', 1, 'start', False, ((0, True),)),
    ('start', 2, 'start', False, ((0, True), (1, True))),
    ('start', 1, 'start', False, ((0, True),)),
    ('start', 1, 'start', False, ((0, True),)),
    ('start', 0, 'start', False, None),
    ('_item', 1, '_item', False, None),
    ('_item', 1, '_item', False, None),
    ('_item', 1, '_item', False, None),
    ('import_stmt', 2, 'import_stmt', False, ((1, False),)),
    ('const_decl', 4, 'const_decl', False, ((1, False), (3, False))),
    ('declaration', 5, 'declaration', False, None),
    ('declaration', 4, 'declaration', False, None),
    ('declaration', 4, 'declaration', False, None),
    ('declaration', 3, 'declaration', False, None),
    ('base', 2, 'base', False, ((1, False),)),
    ('target', 2, 'target', False, ((1, False),)),
    ('block', 5, 'block', False, ((1, True), (2, True), (3, True))),
    ('block', 4, 'block', False, ((1, True), (2, True))),
    ('block', 4, 'block', False, ((1, True), (2, True))),
    ('block', 3, 'block', False, ((1, True),)),
    ('block', 4, 'block', False, ((1, True), (2, True))),
    ('block', 3, 'block', False, ((1, True),)),
    ('block', 3, 'block', False, ((1, True),)),
    ('block', 2, 'block', False, ()),
    ('_entry', 1, '_entry', False, None),
    ('_entry', 1, '_entry', False, None),
    ('_entry', 1, '_entry', False, None),
    ('_entry', 1, '_entry', False, None),
    ('_entry', 1, '_entry', False, None),
    ('assignment', 3, 'assignment', False, ((0, False), (2, False))),
    ('subblock', 2, 'subblock', False, None),
    ('require_stmt', 2, 'require_stmt', False, ((1, False),)),
    ('vary_stmt', 4, 'vary_stmt', False, ((1, False), (3, False))),
    ('objective', 2, 'objective', False, None),
    ('value', 1, 'value', True, None),
    ('value', 1, 'value', True, None),
    ('configured', 2, 'configured', False, None),
    ('condition', 1, 'condition', True, None),
    ('condition', 3, 'disjunction', False, ((0, False), (2, False))),
    ('and_test', 1, 'and_test', True, None),
    ('and_test', 3, 'conjunction', False, ((0, False), (2, False))),
    ('comparison', 1, 'comparison', True, None),
    ('comparison', 3, 'compare', False, None),
    ('comparison', 2, 'negation', False, ((1, False),)),
    ('expr', 1, 'expr', True, None),
    ('sum', 1, 'sum', True, None),
    ('sum', 3, 'binary', False, None),
    ('product', 1, 'product', True, None),
    ('product', 3, 'binary', False, None),
    ('unary', 1, 'unary', True, None),
    ('unary', 2, 'negate', False, ((1, False),)),
    ('atom', 1, 'atom', True, None),
    ('atom', 1, 'string', False, None),
    ('atom', 1, 'boolean', False, None),
    ('atom', 1, 'boolean', False, None),
    ('atom', 1, 'atom', True, None),
    ('atom', 1, 'atom', True, None),
    ('atom', 3, 'atom', True, ((1, False),)),
    ('quantity', 2, 'quantity', False, None),
    ('quantity', 1, 'quantity', False, None),
    ('ref', 2, 'ref', False, ((0, False), (1, True))),
    ('ref', 1, 'ref', False, None),
    ('list', 6, 'list', False, ((1, True), (2, True), (3, False), (4, True))),
    ('list', 5, 'list', False, ((1, True), (2, True), (3, False))),
    ('list', 4, 'list', False, ((1, True), (2, True))),
    ('list', 5, 'list', False, ((1, True), (2, False), (3, True))),
    ('list', 4, 'list', False, ((1, True), (2, False))),
    ('list', 3, 'list', False, ((1, True),)),
    ('list', 5, 'list', False, ((1, True), (2, False), (3, True))),
    ('list', 4, 'list', False, ((1, True), (2, False))),
    ('list', 3, 'list', False, ((1, True),)),
    ('list', 4, 'list', False, ((1, False), (2, True))),
    ('list', 3, 'list', False, ((1, False),)),
    ('list', 2, 'list', False, ()),
    ('_sep', 1, '_sep', False, ((0, True),)),
    ('__start_star_0', 2, '__start_star_0', False, ((0, True), (1, True))),
    ('__start_star_0', 3, '__start_star_0', False, ((0, True), (1, True), (2, True))),
    ('__block_star_1', 2, '__block_star_1', False, ((0, True), (1, True))),
    ('__block_star_1', 3, '__block_star_1', False, ((0, True), (1, True), (2, True))),
    ('__ref_star_2', 2, '__ref_star_2', False, ((1, False),)),
    ('__ref_star_2', 3, '__ref_star_2', False, ((0, True), (2, False))),
    ('__list_star_3', 1, '__list_star_3', False, ()),
    ('__list_star_3', 2, '__list_star_3', False, ((0, True),)),
    ('__list_star_4', 4, '__list_star_4', False, ((0, False), (1, True), (3, True))),
    ('__list_star_4', 3, '__list_star_4', False, ((0, False), (1, True))),
    ('__list_star_4', 3, '__list_star_4', False, ((0, False), (2, True))),
    ('__list_star_4', 2, '__list_star_4', False, ((0, False),)),
    ('__list_star_4', 5, '__list_star_4', False, ((0, True), (1, False), (2, True), (4, True))),
    ('__list_star_4', 4, '__list_star_4', False, ((0, True), (1, False), (2, True))),
    ('__list_star_4', 4, '__list_star_4', False, ((0, True), (1, False), (3, True))),
    ('__list_star_4', 3, '__list_star_4', False, ((0, True), (1, False))),
    ('___sep_plus_5', 1, '___sep_plus_5', False, ()),
    ('___sep_plus_5', 1, '___sep_plus_5', False, ()),
    ('___sep_plus_5', 2, '___sep_plus_5', False, ((0, True),)),
    ('___sep_plus_5', 2, '___sep_plus_5', False, ((0, True),)),
)

TERMINALS = {
    'ADD_OP': '(?:\\+|\\-)',
    'AND': 'and',
    'COMMA': ',',
    'COMMENT': '#[^\r\n]*',
    'COMPARATOR': '(?:<=|>=|==|!=|<|>)',
    'CONST': 'const',
    'DOT': '\\.',
    'EQUAL': '=',
    'FALSE': 'false',
    'FOR': 'for',
    'FROM': 'from',
    'IMPORT': 'import',
    'IN': 'in',
    'LBRACE': '\\{',
    'LPAR': '\\(',
    'LSQB': '\\[',
    'MINUS': '\\-',
    'MUL_OP': '(?:\\*|/)',
    'NAME': '[A-Za-z_][A-Za-z0-9_]*',
    'NOT': 'not',
    'NUMBER': '(?:\\.[0-9][0-9_]*([eE][+-]?[0-9]+)?|[0-9][0-9_]*(\\.[0-9_]+)?([eE][+-]?[0-9]+)?)',
    'OBJECTIVE': '(?:minimize|maximize)',
    'OR': 'or',
    'RBRACE': '\\}',
    'REQUIRE': 'require',
    'RPAR': '\\)',
    'RSQB': '\\]',
    'SEMICOLON': ';',
    'STRING': '"([^"\\\\\n]|\\\\["\\\\nt])*"',
    'TRUE': 'true',
    'UNIT': '(%|[A-Za-z_µ][A-Za-z0-9_µ]*(\\^[0-9]+)?([\\/*][A-Za-z_µ][A-Za-z0-9_µ]*(\\^[0-9]+)?)*)',
    'VARY': 'vary',
    '_NL': '(\r?\n)+',
    '__IGNORE_0': '[ \t\x0c]+',
}

LEXERS = (
    (('COMMENT', '_NL', '__IGNORE_0', 'RBRACE', 'SEMICOLON'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'AND', 'FOR', 'COMPARATOR', 'OR', 'ADD_OP', 'MUL_OP', 'COMMA', 'DOT', 'LBRACE', 'RBRACE', 'RPAR', 'RSQB', 'SEMICOLON'), {}),
    (('COMMENT', '__IGNORE_0', 'LBRACE'), {}),
    (('NAME', 'COMMENT', '__IGNORE_0'), {}),
    (('OBJECTIVE', 'NAME', 'COMMENT', '_NL', '__IGNORE_0', 'RBRACE', 'SEMICOLON'), {'NAME': {'require': 'REQUIRE', 'vary': 'VARY'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE', 'not': 'NOT'}}),
    (('OBJECTIVE', 'NAME', 'COMMENT', '_NL', '__IGNORE_0', 'RBRACE', 'SEMICOLON'), {'NAME': {'require': 'REQUIRE', 'import': 'IMPORT', 'const': 'CONST', 'vary': 'VARY'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'COMMA', 'RSQB'), {}),
    (('COMMENT', '__IGNORE_0', 'EQUAL'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'AND', 'COMPARATOR', 'OR', 'ADD_OP', 'MUL_OP', 'COMMA', 'RBRACE', 'RPAR', 'RSQB', 'SEMICOLON'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'OR', 'RBRACE', 'SEMICOLON'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'COMMA', 'RBRACE', 'RSQB', 'SEMICOLON'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'AND', 'COMPARATOR', 'OR', 'ADD_OP', 'RBRACE', 'RPAR', 'SEMICOLON'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'SEMICOLON'), {}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '_NL', '__IGNORE_0', 'COMMA', 'LPAR', 'LSQB', 'MINUS', 'RSQB'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('NAME', 'COMMENT', '__IGNORE_0'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'RBRACE', 'SEMICOLON'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'SEMICOLON'), {}),
    (('COMMENT', '__IGNORE_0', 'LBRACE'), {}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'COMMA', 'RBRACE', 'RSQB', 'SEMICOLON'), {}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE', 'not': 'NOT'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE', 'not': 'NOT'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'COMMA', 'RSQB'), {}),
    (('COMMENT', '__IGNORE_0', 'IN'), {}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '_NL', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS', 'RSQB'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('OBJECTIVE', 'NAME', 'COMMENT', '__IGNORE_0', 'RBRACE'), {'NAME': {'require': 'REQUIRE', 'vary': 'VARY'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'AND', 'OR', 'RBRACE', 'RPAR', 'SEMICOLON'), {}),
    (('NAME', 'COMMENT', '__IGNORE_0'), {'NAME': {'import': 'IMPORT', 'const': 'CONST'}}),
    (('OBJECTIVE', 'NAME', 'COMMENT', '__IGNORE_0', 'RBRACE'), {'NAME': {'require': 'REQUIRE', 'vary': 'VARY'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS', 'RSQB'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'AND', 'FOR', 'COMPARATOR', 'OR', 'ADD_OP', 'MUL_OP', 'COMMA', 'DOT', 'LBRACE', 'RBRACE', 'RPAR', 'RSQB', 'SEMICOLON'), {}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '_NL', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS', 'RSQB'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('COMMENT', '__IGNORE_0', 'OR', 'RPAR'), {}),
    (('NAME', 'COMMENT', '__IGNORE_0'), {'NAME': {'import': 'IMPORT', 'const': 'CONST'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '_NL', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS', 'RSQB'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'ADD_OP', 'MUL_OP', 'COMMA', 'DOT', 'LBRACE', 'RBRACE', 'RSQB', 'SEMICOLON'), {}),
    (('COMMENT', '__IGNORE_0', 'FOR', 'LBRACE'), {}),
    (('COMMENT', '__IGNORE_0'), {}),
    (('NAME', 'COMMENT', '_NL', '__IGNORE_0', 'SEMICOLON'), {'NAME': {'import': 'IMPORT', 'const': 'CONST'}}),
    (('UNIT', 'COMMENT', '_NL', '__IGNORE_0', 'COMPARATOR', 'ADD_OP', 'MUL_OP', 'COMMA', 'RBRACE', 'RPAR', 'RSQB', 'SEMICOLON'), {'UNIT': {'and': 'AND', 'or': 'OR'}}),
    (('STRING', 'COMMENT', '__IGNORE_0'), {}),
    (('OBJECTIVE', 'NAME', 'COMMENT', '__IGNORE_0', 'RBRACE'), {'NAME': {'require': 'REQUIRE', 'vary': 'VARY'}}),
    (('COMMENT', '__IGNORE_0', 'EQUAL', 'LBRACE'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'ADD_OP', 'COMMA', 'RBRACE', 'RSQB', 'SEMICOLON'), {}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '_NL', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS', 'RSQB'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('COMMENT', '__IGNORE_0', 'FOR', 'LBRACE'), {}),
    (('NAME', 'COMMENT', '__IGNORE_0'), {'NAME': {'import': 'IMPORT', 'const': 'CONST'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'AND', 'OR', 'ADD_OP', 'RBRACE', 'RPAR', 'SEMICOLON'), {}),
    (('COMMENT', '__IGNORE_0', 'FROM', 'FOR', 'LBRACE'), {}),
)

STATES = (
    (0, {'RBRACE': -37, 'SEMICOLON': -37, '_NL': -37}),  # 0
    (1, {'$END': -84, 'ADD_OP': -84, 'AND': -84, 'COMMA': -84, 'COMPARATOR': -84, 'DOT': -84, 'FOR': -84, 'LBRACE': -84, 'MUL_OP': -84, 'OR': -84, 'RBRACE': -84, 'RPAR': -84, 'RSQB': -84, 'SEMICOLON': -84, '_NL': -84}),  # 1
    (2, {'LBRACE': 4, 'block': 42}),  # 2
    (3, {'NAME': 62, 'ref': 83}),  # 3
    (4, {'NAME': 124, 'OBJECTIVE': 87, 'RBRACE': 71, 'REQUIRE': 37, 'SEMICOLON': 32, 'VARY': 76, '_NL': 56, '___sep_plus_5': 6, '__block_star_1': 80, '_entry': 81, '_sep': 122, 'assignment': 14, 'objective': 38, 'require_stmt': 93, 'subblock': 69, 'vary_stmt': 123}),  # 4
    (5, {'FALSE': 136, 'LPAR': 65, 'LSQB': 75, 'MINUS': 29, 'NAME': 62, 'NOT': 5, 'NUMBER': 105, 'STRING': 52, 'TRUE': 73, 'atom': 127, 'comparison': 50, 'list': 12, 'product': 109, 'quantity': 48, 'ref': 60, 'sum': 15, 'unary': 104}),  # 5
    (6, {'$END': -78, 'CONST': -78, 'IMPORT': -78, 'NAME': -78, 'OBJECTIVE': -78, 'RBRACE': -78, 'REQUIRE': -78, 'SEMICOLON': 54, 'VARY': -78, '_NL': 95}),  # 6
    (7, {'FALSE': 136, 'LPAR': 65, 'LSQB': 75, 'MINUS': 29, 'NAME': 62, 'NUMBER': 105, 'STRING': 52, 'TRUE': 73, 'atom': 127, 'list': 12, 'product': 109, 'quantity': 48, 'ref': 60, 'sum': 135, 'unary': 104}),  # 7
    (8, {'COMMA': 99, 'RSQB': 117, '_NL': 17, '__list_star_3': 128}),  # 8
    (9, {'EQUAL': 72}),  # 9
    (10, {'$END': -61, 'ADD_OP': -61, 'AND': -61, 'COMMA': -61, 'COMPARATOR': -61, 'MUL_OP': -61, 'OR': -61, 'RBRACE': -61, 'RPAR': -61, 'RSQB': -61, 'SEMICOLON': -61, '_NL': -61}),  # 10
    (11, {'OR': 36, 'RBRACE': -35, 'SEMICOLON': -35, '_NL': -35}),  # 11
    (10, {'$END': -60, 'ADD_OP': -60, 'AND': -60, 'COMMA': -60, 'COMPARATOR': -60, 'MUL_OP': -60, 'OR': -60, 'RBRACE': -60, 'RPAR': -60, 'RSQB': -60, 'SEMICOLON': -60, '_NL': -60}),  # 12
    (12, {'$END': -25, 'COMMA': -25, 'RBRACE': -25, 'RSQB': -25, 'SEMICOLON': -25, '_NL': -25}),  # 13
    (0, {'RBRACE': -28, 'SEMICOLON': -28, '_NL': -28}),  # 14
    (13, {'ADD_OP': 30, 'AND': -45, 'COMPARATOR': 7, 'OR': -45, 'RBRACE': -45, 'RPAR': -45, 'SEMICOLON': -45, '_NL': -45}),  # 15
    (14, {'$END': -14, 'SEMICOLON': -14, '_NL': -14}),  # 16
    (15, {'COMMA': -85, 'FALSE': -85, 'LPAR': -85, 'LSQB': -85, 'MINUS': -85, 'NAME': -85, 'NUMBER': -85, 'RSQB': -85, 'STRING': -85, 'TRUE': -85, '_NL': -85}),  # 17
    (16, {'NAME': 40}),  # 18
    (17, {'RBRACE': 96, 'SEMICOLON': 32, '_NL': 56, '___sep_plus_5': 6, '_sep': 47}),  # 19
    (1, {'$END': -64, 'ADD_OP': -64, 'AND': -64, 'COMMA': -64, 'COMPARATOR': -64, 'DOT': 107, 'FOR': -64, 'LBRACE': -64, 'MUL_OP': -64, 'OR': -64, 'RBRACE': -64, 'RPAR': -64, 'RSQB': -64, 'SEMICOLON': -64, '_NL': -64}),  # 20
    (5, {'FALSE': 136, 'LPAR': 65, 'LSQB': 75, 'MINUS': 29, 'NAME': 62, 'NOT': 5, 'NUMBER': 105, 'STRING': 52, 'TRUE': 73, 'atom': 127, 'comparison': 49, 'list': 12, 'product': 109, 'quantity': 48, 'ref': 60, 'sum': 15, 'unary': 104}),  # 21
    (0, {'RBRACE': -34, 'SEMICOLON': -34, '_NL': -34}),  # 22
    (10, {'$END': -62, 'ADD_OP': -62, 'AND': -62, 'COMMA': -62, 'COMPARATOR': -62, 'MUL_OP': -62, 'OR': -62, 'RBRACE': -62, 'RPAR': -62, 'RSQB': -62, 'SEMICOLON': -62, '_NL': -62}),  # 23
    (17, {'RBRACE': 82, 'SEMICOLON': 32, '_NL': 56, '___sep_plus_5': 6, '_sep': 110}),  # 24
    (18, {'$END': -1, 'SEMICOLON': 32, '_NL': 56, '___sep_plus_5': 6, '_sep': 51}),  # 25
    (19, {'LBRACE': -19}),  # 26
    (16, {'NAME': 26}),  # 27
    (14, {'$END': -17, 'SEMICOLON': -17, '_NL': -17}),  # 28
    (20, {'FALSE': 136, 'LPAR': 65, 'LSQB': 75, 'MINUS': 29, 'NAME': 62, 'NUMBER': 105, 'STRING': 52, 'TRUE': 73, 'atom': 127, 'list': 12, 'quantity': 48, 'ref': 60, 'unary': 74}),  # 29
    (21, {'FALSE': 136, 'LPAR': 65, 'LSQB': 75, 'MINUS': 29, 'NAME': 62, 'NUMBER': 105, 'STRING': 52, 'TRUE': 73, 'atom': 127, 'list': 12, 'product': 46, 'quantity': 48, 'ref': 60, 'unary': 104}),  # 30
    (16, {'NAME': 9}),  # 31
    (6, {'$END': -96, 'CONST': -96, 'IMPORT': -96, 'NAME': -96, 'OBJECTIVE': -96, 'RBRACE': -96, 'REQUIRE': -96, 'SEMICOLON': -96, 'VARY': -96, '_NL': -96}),  # 32
    (14, {'$END': -9, 'SEMICOLON': -9, '_NL': -9}),  # 33
    (12, {'$END': -20, 'COMMA': -20, 'RBRACE': -20, 'RSQB': -20, 'SEMICOLON': -20, '_NL': -20}),  # 34
    (22, {'COMMA': -40, 'RBRACE': -40, 'RSQB': -40, 'SEMICOLON': -40, '_NL': -40}),  # 35
    (23, {'FALSE': 136, 'LPAR': 65, 'LSQB': 75, 'MINUS': 29, 'NAME': 62, 'NOT': 5, 'NUMBER': 105, 'STRING': 52, 'TRUE': 73, 'and_test': 134, 'atom': 127, 'comparison': 133, 'list': 12, 'product': 109, 'quantity': 48, 'ref': 60, 'sum': 15, 'unary': 104}),  # 36
    (24, {'FALSE': 136, 'LPAR': 65, 'LSQB': 75, 'MINUS': 29, 'NAME': 62, 'NOT': 5, 'NUMBER': 105, 'STRING': 52, 'TRUE': 73, 'and_test': 102, 'atom': 127, 'comparison': 133, 'condition': 11, 'list': 12, 'product': 109, 'quantity': 48, 'ref': 60, 'sum': 15, 'unary': 104}),  # 37
    (0, {'RBRACE': -32, 'SEMICOLON': -32, '_NL': -32}),  # 38
    (25, {'COMMA': 97, 'RSQB': 94, '_NL': 64}),  # 39
    (1, {'$END': -83, 'ADD_OP': -83, 'AND': -83, 'COMMA': -83, 'COMPARATOR': -83, 'DOT': -83, 'FOR': -83, 'LBRACE': -83, 'MUL_OP': -83, 'OR': -83, 'RBRACE': -83, 'RPAR': -83, 'RSQB': -83, 'SEMICOLON': -83, '_NL': -83}),  # 40
    (10, {'$END': -76, 'ADD_OP': -76, 'AND': -76, 'COMMA': -76, 'COMPARATOR': -76, 'MUL_OP': -76, 'OR': -76, 'RBRACE': -76, 'RPAR': -76, 'RSQB': -76, 'SEMICOLON': -76, '_NL': -76}),  # 41
    (14, {'$END': -16, 'SEMICOLON': -16, '_NL': -16}),  # 42
    (26, {'IN': 78}),  # 43
    (27, {'FALSE': -90, 'LPAR': -90, 'LSQB': -90, 'MINUS': -90, 'NAME': -90, 'NUMBER': -90, 'RSQB': -90, 'STRING': -90, 'TRUE': -90, '_NL': 17, '__list_star_3': 63}),  # 44
    (2, {'LBRACE': 4, 'block': 16}),  # 45
    (10, {'$END': -50, 'ADD_OP': -50, 'AND': -50, 'COMMA': -50, 'COMPARATOR': -50, 'MUL_OP': 119, 'OR': -50, 'RBRACE': -50, 'RPAR': -50, 'RSQB': -50, 'SEMICOLON': -50, '_NL': -50}),  # 46
    (28, {'NAME': -82, 'OBJECTIVE': -82, 'RBRACE': -82, 'REQUIRE': -82, 'VARY': -82}),  # 47
    (10, {'$END': -55, 'ADD_OP': -55, 'AND': -55, 'COMMA': -55, 'COMPARATOR': -55, 'MUL_OP': -55, 'OR': -55, 'RBRACE': -55, 'RPAR': -55, 'RSQB': -55, 'SEMICOLON': -55, '_NL': -55}),  # 48
    (29, {'AND': -44, 'OR': -44, 'RBRACE': -44, 'RPAR': -44, 'SEMICOLON': -44, '_NL': -44}),  # 49
    (29, {'AND': -47, 'OR': -47, 'RBRACE': -47, 'RPAR': -47, 'SEMICOLON': -47, '_NL': -47}),  # 50
    (30, {'$END': -80, 'CONST': -80, 'IMPORT': -80, 'NAME': -80}),  # 51
    (10, {'$END': -56, 'ADD_OP': -56, 'AND': -56, 'COMMA': -56, 'COMPARATOR': -56, 'MUL_OP': -56, 'OR': -56, 'RBRACE': -56, 'RPAR': -56, 'RSQB': -56, 'SEMICOLON': -56, '_NL': -56}),  # 52
    (8, {'COMMA': 44, 'RSQB': 114, '_NL': 17, '__list_star_3': 112}),  # 53
    (6, {'$END': -98, 'CONST': -98, 'IMPORT': -98, 'NAME': -98, 'OBJECTIVE': -98, 'RBRACE': -98, 'REQUIRE': -98, 'SEMICOLON': -98, 'VARY': -98, '_NL': -98}),  # 54
    (10, {'$END': -77, 'ADD_OP': -77, 'AND': -77, 'COMMA': -77, 'COMPARATOR': -77, 'MUL_OP': -77, 'OR': -77, 'RBRACE': -77, 'RPAR': -77, 'RSQB': -77, 'SEMICOLON': -77, '_NL': -77}),  # 55
    (6, {'$END': -95, 'CONST': -95, 'IMPORT': -95, 'NAME': -95, 'OBJECTIVE': -95, 'RBRACE': -95, 'REQUIRE': -95, 'SEMICOLON': -95, 'VARY': -95, '_NL': -95}),  # 56
    (22, {'COMMA': -38, 'RBRACE': -38, 'RSQB': -38, 'SEMICOLON': -38, '_NL': -38}),  # 57
    (31, {'NAME': 124, 'OBJECTIVE': 87, 'RBRACE': 92, 'REQUIRE': 37, 'VARY': 76, '_entry': 90, 'assignment': 14, 'objective': 38, 'require_stmt': 93, 'subblock': 69, 'vary_stmt': 123}),  # 58
    (30, {'$END': -79, 'CONST': -79, 'IMPORT': -79, 'NAME': -79}),  # 59
    (10, {'$END': -59, 'ADD_OP': -59, 'AND': -59, 'COMMA': -59, 'COMPARATOR': -59, 'MUL_OP': -59, 'OR': -59, 'RBRACE': -59, 'RPAR': -59, 'RSQB': -59, 'SEMICOLON': -59, '_NL': -59}),  # 60
    (32, {'FALSE': 136, 'LPAR': 65, 'LSQB': 75, 'MINUS': 29, 'NAME': 77, 'NUMBER': 105, 'RSQB': 130, 'STRING': 52, 'TRUE': 73, 'atom': 127, 'configured': 120, 'expr': 57, 'list': 12, 'product': 109, 'quantity': 48, 'ref': 60, 'sum': 125, 'unary': 104, 'value': 118}),  # 61
    (33, {'$END': -65, 'ADD_OP': -65, 'AND': -65, 'COMMA': -65, 'COMPARATOR': -65, 'DOT': 18, 'FOR': -65, 'LBRACE': -65, 'MUL_OP': -65, 'OR': -65, 'RBRACE': -65, 'RPAR': -65, 'RSQB': -65, 'SEMICOLON': -65, '_NL': -65, '__ref_star_2': 20}),  # 62
    (34, {'FALSE': -89, 'LPAR': -89, 'LSQB': -89, 'MINUS': -89, 'NAME': -89, 'NUMBER': -89, 'RSQB': -89, 'STRING': -89, 'TRUE': -89, '_NL': 64}),  # 63
    (15, {'COMMA': -86, 'FALSE': -86, 'LPAR': -86, 'LSQB': -86, 'MINUS': -86, 'NAME': -86, 'NUMBER': -86, 'RSQB': -86, 'STRING': -86, 'TRUE': -86, '_NL': -86}),  # 64
    (24, {'FALSE': 136, 'LPAR': 65, 'LSQB': 75, 'MINUS': 29, 'NAME': 62, 'NOT': 5, 'NUMBER': 105, 'STRING': 52, 'TRUE': 73, 'and_test': 102, 'atom': 127, 'comparison': 133, 'condition': 67, 'list': 12, 'product': 109, 'quantity': 48, 'ref': 60, 'sum': 15, 'unary': 104}),  # 65
    (35, {'FALSE': 136, 'LPAR': 65, 'LSQB': 75, 'MINUS': 29, 'NAME': 77, 'NUMBER': 105, 'STRING': 52, 'TRUE': 73, 'atom': 127, 'configured': 120, 'expr': 57, 'list': 12, 'product': 109, 'quantity': 48, 'ref': 60, 'sum': 125, 'unary': 104, 'value': 103}),  # 66
    (36, {'OR': 36, 'RPAR': 10}),  # 67
    (18, {'$END': -5, 'SEMICOLON': 32, '_NL': 56, '___sep_plus_5': 6, '_sep': 51}),  # 68
    (0, {'RBRACE': -29, 'SEMICOLON': -29, '_NL': -29}),  # 69
    (37, {'$END': -2, 'CONST': 31, 'IMPORT': 108, 'NAME': 86, '_item': 25, 'const_decl': 121, 'declaration': 143, 'import_stmt': 33}),  # 70
    (12, {'$END': -27, 'COMMA': -27, 'RBRACE': -27, 'RSQB': -27, 'SEMICOLON': -27, '_NL': -27}),  # 71
    (38, {'FALSE': 136, 'LPAR': 65, 'LSQB': 75, 'MINUS': 29, 'NAME': 62, 'NUMBER': 105, 'STRING': 52, 'TRUE': 73, 'atom': 127, 'expr': 113, 'list': 12, 'product': 109, 'quantity': 48, 'ref': 60, 'sum': 125, 'unary': 104}),  # 72
    (10, {'$END': -57, 'ADD_OP': -57, 'AND': -57, 'COMMA': -57, 'COMPARATOR': -57, 'MUL_OP': -57, 'OR': -57, 'RBRACE': -57, 'RPAR': -57, 'RSQB': -57, 'SEMICOLON': -57, '_NL': -57}),  # 73
    (10, {'$END': -54, 'ADD_OP': -54, 'AND': -54, 'COMMA': -54, 'COMPARATOR': -54, 'MUL_OP': -54, 'OR': -54, 'RBRACE': -54, 'RPAR': -54, 'RSQB': -54, 'SEMICOLON': -54, '_NL': -54}),  # 74
    (39, {'FALSE': 136, 'LPAR': 65, 'LSQB': 75, 'MINUS': 29, 'NAME': 77, 'NUMBER': 105, 'RSQB': 55, 'STRING': 52, 'TRUE': 73, '_NL': 17, '__list_star_3': 126, '__list_star_4': 141, 'atom': 127, 'configured': 120, 'expr': 57, 'list': 12, 'product': 109, 'quantity': 48, 'ref': 60, 'sum': 125, 'unary': 104, 'value': 101}),  # 75
    (16, {'NAME': 43}),  # 76
    (40, {'ADD_OP': -65, 'COMMA': -65, 'DOT': 18, 'LBRACE': 4, 'MUL_OP': -65, 'RBRACE': -65, 'RSQB': -65, 'SEMICOLON': -65, '_NL': -65, '__ref_star_2': 20, 'block': 35}),  # 77
    (38, {'FALSE': 136, 'LPAR': 65, 'LSQB': 75, 'MINUS': 29, 'NAME': 62, 'NUMBER': 105, 'STRING': 52, 'TRUE': 73, 'atom': 127, 'expr': 138, 'list': 12, 'product': 109, 'quantity': 48, 'ref': 60, 'sum': 125, 'unary': 104}),  # 78
    (18, {'$END': -3, 'SEMICOLON': 32, '_NL': 56, '___sep_plus_5': 6, '_sep': 59}),  # 79
    (31, {'NAME': 124, 'OBJECTIVE': 87, 'RBRACE': 13, 'REQUIRE': 37, 'VARY': 76, '_entry': 19, 'assignment': 14, 'objective': 38, 'require_stmt': 93, 'subblock': 69, 'vary_stmt': 123}),  # 80
    (17, {'RBRACE': 116, 'SEMICOLON': 32, '_NL': 56, '___sep_plus_5': 6, '_sep': 110}),  # 81
    (12, {'$END': -22, 'COMMA': -22, 'RBRACE': -22, 'RSQB': -22, 'SEMICOLON': -22, '_NL': -22}),  # 82
    (41, {'FOR': -18, 'LBRACE': -18}),  # 83
    (10, {'$END': -52, 'ADD_OP': -52, 'AND': -52, 'COMMA': -52, 'COMPARATOR': -52, 'MUL_OP': -52, 'OR': -52, 'RBRACE': -52, 'RPAR': -52, 'RSQB': -52, 'SEMICOLON': -52, '_NL': -52}),  # 84
    (10, {'$END': -71, 'ADD_OP': -71, 'AND': -71, 'COMMA': -71, 'COMPARATOR': -71, 'MUL_OP': -71, 'OR': -71, 'RBRACE': -71, 'RPAR': -71, 'RSQB': -71, 'SEMICOLON': -71, '_NL': -71}),  # 85
    (16, {'NAME': 140}),  # 86
    (16, {'NAME': 0}),  # 87
    (10, {'$END': -74, 'ADD_OP': -74, 'AND': -74, 'COMMA': -74, 'COMPARATOR': -74, 'MUL_OP': -74, 'OR': -74, 'RBRACE': -74, 'RPAR': -74, 'RSQB': -74, 'SEMICOLON': -74, '_NL': -74}),  # 88
    (42, {}),  # 89
    (17, {'RBRACE': 34, 'SEMICOLON': 32, '_NL': 56, '___sep_plus_5': 6, '_sep': 47}),  # 90
    (10, {'$END': -66, 'ADD_OP': -66, 'AND': -66, 'COMMA': -66, 'COMPARATOR': -66, 'MUL_OP': -66, 'OR': -66, 'RBRACE': -66, 'RPAR': -66, 'RSQB': -66, 'SEMICOLON': -66, '_NL': -66}),  # 91
    (12, {'$END': -21, 'COMMA': -21, 'RBRACE': -21, 'RSQB': -21, 'SEMICOLON': -21, '_NL': -21}),  # 92
    (0, {'RBRACE': -30, 'SEMICOLON': -30, '_NL': -30}),  # 93
    (10, {'$END': -75, 'ADD_OP': -75, 'AND': -75, 'COMMA': -75, 'COMPARATOR': -75, 'MUL_OP': -75, 'OR': -75, 'RBRACE': -75, 'RPAR': -75, 'RSQB': -75, 'SEMICOLON': -75, '_NL': -75}),  # 94
    (6, {'$END': -97, 'CONST': -97, 'IMPORT': -97, 'NAME': -97, 'OBJECTIVE': -97, 'RBRACE': -97, 'REQUIRE': -97, 'SEMICOLON': -97, 'VARY': -97, '_NL': -97}),  # 95
    (12, {'$END': -24, 'COMMA': -24, 'RBRACE': -24, 'RSQB': -24, 'SEMICOLON': -24, '_NL': -24}),  # 96
    (27, {'FALSE': -88, 'LPAR': -88, 'LSQB': -88, 'MINUS': -88, 'NAME': -88, 'NUMBER': -88, 'RSQB': -88, 'STRING': -88, 'TRUE': -88, '_NL': 17, '__list_star_3': 106}),  # 97
    (43, {'$END': -8, 'CONST': 31, 'IMPORT': 108, 'NAME': 86, 'SEMICOLON': 32, '_NL': 56, '___sep_plus_5': 6, '__start_star_0': 139, '_item': 132, '_sep': 131, 'const_decl': 121, 'declaration': 143, 'import_stmt': 33, 'start': 89}),  # 98
    (27, {'FALSE': -94, 'LPAR': -94, 'LSQB': -94, 'MINUS': -94, 'NAME': -94, 'NUMBER': -94, 'RSQB': -94, 'STRING': -94, 'TRUE': -94, '_NL': 17, '__list_star_3': 142}),  # 99
    (14, {'$END': -15, 'SEMICOLON': -15, '_NL': -15}),  # 100
    (8, {'COMMA': 44, 'RSQB': 41, '_NL': 17, '__list_star_3': 39}),  # 101
    (29, {'AND': 21, 'OR': -41, 'RBRACE': -41, 'RPAR': -41, 'SEMICOLON': -41, '_NL': -41}),  # 102
    (0, {'RBRACE': -33, 'SEMICOLON': -33, '_NL': -33}),  # 103
    (10, {'$END': -51, 'ADD_OP': -51, 'AND': -51, 'COMMA': -51, 'COMPARATOR': -51, 'MUL_OP': -51, 'OR': -51, 'RBRACE': -51, 'RPAR': -51, 'RSQB': -51, 'SEMICOLON': -51, '_NL': -51}),  # 104
    (44, {'$END': -63, 'ADD_OP': -63, 'AND': -63, 'COMMA': -63, 'COMPARATOR': -63, 'MUL_OP': -63, 'OR': -63, 'RBRACE': -63, 'RPAR': -63, 'RSQB': -63, 'SEMICOLON': -63, 'UNIT': 23, '_NL': -63}),  # 105
    (34, {'FALSE': -87, 'LPAR': -87, 'LSQB': -87, 'MINUS': -87, 'NAME': -87, 'NUMBER': -87, 'RSQB': -87, 'STRING': -87, 'TRUE': -87, '_NL': 64}),  # 106
    (16, {'NAME': 1}),  # 107
    (45, {'STRING': 147}),  # 108
    (10, {'$END': -49, 'ADD_OP': -49, 'AND': -49, 'COMMA': -49, 'COMPARATOR': -49, 'MUL_OP': 119, 'OR': -49, 'RBRACE': -49, 'RPAR': -49, 'RSQB': -49, 'SEMICOLON': -49, '_NL': -49}),  # 109
    (28, {'NAME': -81, 'OBJECTIVE': -81, 'RBRACE': -81, 'REQUIRE': -81, 'VARY': -81}),  # 110
    (12, {'$END': -23, 'COMMA': -23, 'RBRACE': -23, 'RSQB': -23, 'SEMICOLON': -23, '_NL': -23}),  # 111
    (25, {'COMMA': 97, 'RSQB': 137, '_NL': 64}),  # 112
    (14, {'$END': -13, 'SEMICOLON': -13, '_NL': -13}),  # 113
    (10, {'$END': -70, 'ADD_OP': -70, 'AND': -70, 'COMMA': -70, 'COMPARATOR': -70, 'MUL_OP': -70, 'OR': -70, 'RBRACE': -70, 'RPAR': -70, 'RSQB': -70, 'SEMICOLON': -70, '_NL': -70}),  # 114
    (27, {'FALSE': -92, 'LPAR': -92, 'LSQB': -92, 'MINUS': -92, 'NAME': -92, 'NUMBER': -92, 'RSQB': -92, 'STRING': -92, 'TRUE': -92, '_NL': 17, '__list_star_3': 146}),  # 115
    (12, {'$END': -26, 'COMMA': -26, 'RBRACE': -26, 'RSQB': -26, 'SEMICOLON': -26, '_NL': -26}),  # 116
    (10, {'$END': -73, 'ADD_OP': -73, 'AND': -73, 'COMMA': -73, 'COMPARATOR': -73, 'MUL_OP': -73, 'OR': -73, 'RBRACE': -73, 'RPAR': -73, 'RSQB': -73, 'SEMICOLON': -73, '_NL': -73}),  # 117
    (8, {'COMMA': 99, 'RSQB': 144, '_NL': 17, '__list_star_3': 145}),  # 118
    (20, {'FALSE': 136, 'LPAR': 65, 'LSQB': 75, 'MINUS': 29, 'NAME': 62, 'NUMBER': 105, 'STRING': 52, 'TRUE': 73, 'atom': 127, 'list': 12, 'quantity': 48, 'ref': 60, 'unary': 84}),  # 119
    (22, {'COMMA': -39, 'RBRACE': -39, 'RSQB': -39, 'SEMICOLON': -39, '_NL': -39}),  # 120
    (14, {'$END': -10, 'SEMICOLON': -10, '_NL': -10}),  # 121
    (46, {'NAME': 124, 'OBJECTIVE': 87, 'RBRACE': 111, 'REQUIRE': 37, 'VARY': 76, '__block_star_1': 58, '_entry': 24, 'assignment': 14, 'objective': 38, 'require_stmt': 93, 'subblock': 69, 'vary_stmt': 123}),  # 122
    (0, {'RBRACE': -31, 'SEMICOLON': -31, '_NL': -31}),  # 123
    (47, {'EQUAL': 66, 'LBRACE': 4, 'block': 22}),  # 124
    (48, {'$END': -48, 'ADD_OP': 30, 'COMMA': -48, 'RBRACE': -48, 'RSQB': -48, 'SEMICOLON': -48, '_NL': -48}),  # 125
    (49, {'FALSE': 136, 'LPAR': 65, 'LSQB': 75, 'MINUS': 29, 'NAME': 77, 'NUMBER': 105, 'RSQB': 85, 'STRING': 52, 'TRUE': 73, '_NL': 64, '__list_star_4': 61, 'atom': 127, 'configured': 120, 'expr': 57, 'list': 12, 'product': 109, 'quantity': 48, 'ref': 60, 'sum': 125, 'unary': 104, 'value': 53}),  # 126
    (10, {'$END': -53, 'ADD_OP': -53, 'AND': -53, 'COMMA': -53, 'COMPARATOR': -53, 'MUL_OP': -53, 'OR': -53, 'RBRACE': -53, 'RPAR': -53, 'RSQB': -53, 'SEMICOLON': -53, '_NL': -53}),  # 127
    (25, {'COMMA': 115, 'RSQB': 148, '_NL': 64}),  # 128
    (50, {'FOR': 27, 'LBRACE': 4, 'block': 100, 'target': 45}),  # 129
    (10, {'$END': -68, 'ADD_OP': -68, 'AND': -68, 'COMMA': -68, 'COMPARATOR': -68, 'MUL_OP': -68, 'OR': -68, 'RBRACE': -68, 'RPAR': -68, 'RSQB': -68, 'SEMICOLON': -68, '_NL': -68}),  # 130
    (51, {'$END': -4, 'CONST': 31, 'IMPORT': 108, 'NAME': 86, '__start_star_0': 70, '_item': 79, 'const_decl': 121, 'declaration': 143, 'import_stmt': 33}),  # 131
    (18, {'$END': -7, 'SEMICOLON': 32, '_NL': 56, '___sep_plus_5': 6, '_sep': 59}),  # 132
    (29, {'AND': -43, 'OR': -43, 'RBRACE': -43, 'RPAR': -43, 'SEMICOLON': -43, '_NL': -43}),  # 133
    (29, {'AND': 21, 'OR': -42, 'RBRACE': -42, 'RPAR': -42, 'SEMICOLON': -42, '_NL': -42}),  # 134
    (52, {'ADD_OP': 30, 'AND': -46, 'OR': -46, 'RBRACE': -46, 'RPAR': -46, 'SEMICOLON': -46, '_NL': -46}),  # 135
    (10, {'$END': -58, 'ADD_OP': -58, 'AND': -58, 'COMMA': -58, 'COMPARATOR': -58, 'MUL_OP': -58, 'OR': -58, 'RBRACE': -58, 'RPAR': -58, 'RSQB': -58, 'SEMICOLON': -58, '_NL': -58}),  # 136
    (10, {'$END': -69, 'ADD_OP': -69, 'AND': -69, 'COMMA': -69, 'COMPARATOR': -69, 'MUL_OP': -69, 'OR': -69, 'RBRACE': -69, 'RPAR': -69, 'RSQB': -69, 'SEMICOLON': -69, '_NL': -69}),  # 137
    (0, {'RBRACE': -36, 'SEMICOLON': -36, '_NL': -36}),  # 138
    (37, {'$END': -6, 'CONST': 31, 'IMPORT': 108, 'NAME': 86, '_item': 68, 'const_decl': 121, 'declaration': 143, 'import_stmt': 33}),  # 139
    (53, {'FOR': 27, 'FROM': 3, 'LBRACE': 4, 'base': 129, 'block': 28, 'target': 2}),  # 140
    (32, {'FALSE': 136, 'LPAR': 65, 'LSQB': 75, 'MINUS': 29, 'NAME': 77, 'NUMBER': 105, 'RSQB': 88, 'STRING': 52, 'TRUE': 73, 'atom': 127, 'configured': 120, 'expr': 57, 'list': 12, 'product': 109, 'quantity': 48, 'ref': 60, 'sum': 125, 'unary': 104, 'value': 8}),  # 141
    (34, {'FALSE': -93, 'LPAR': -93, 'LSQB': -93, 'MINUS': -93, 'NAME': -93, 'NUMBER': -93, 'RSQB': -93, 'STRING': -93, 'TRUE': -93, '_NL': 64}),  # 142
    (14, {'$END': -11, 'SEMICOLON': -11, '_NL': -11}),  # 143
    (10, {'$END': -67, 'ADD_OP': -67, 'AND': -67, 'COMMA': -67, 'COMPARATOR': -67, 'MUL_OP': -67, 'OR': -67, 'RBRACE': -67, 'RPAR': -67, 'RSQB': -67, 'SEMICOLON': -67, '_NL': -67}),  # 144
    (25, {'COMMA': 115, 'RSQB': 91, '_NL': 64}),  # 145
    (34, {'FALSE': -91, 'LPAR': -91, 'LSQB': -91, 'MINUS': -91, 'NAME': -91, 'NUMBER': -91, 'RSQB': -91, 'STRING': -91, 'TRUE': -91, '_NL': 64}),  # 146
    (14, {'$END': -12, 'SEMICOLON': -12, '_NL': -12}),  # 147
    (10, {'$END': -72, 'ADD_OP': -72, 'AND': -72, 'COMMA': -72, 'COMPARATOR': -72, 'MUL_OP': -72, 'OR': -72, 'RBRACE': -72, 'RPAR': -72, 'RSQB': -72, 'SEMICOLON': -72, '_NL': -72}),  # 148
)
