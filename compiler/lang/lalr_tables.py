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

GRAMMAR_CRC32 = 1549528264
LARK_VERSION = '1.3.1'
START_STATE = 142
END_STATE = 141
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
    ('_entry', 1, '_entry', False, None),
    ('assignment', 3, 'assignment', False, ((0, False), (2, False))),
    ('subblock', 2, 'subblock', False, None),
    ('require_stmt', 2, 'require_stmt', False, ((1, False),)),
    ('drop_stmt', 3, 'drop_stmt', False, ((2, False),)),
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
    'DROP': 'drop',
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
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '_NL', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS', 'RSQB'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'AND', 'COMPARATOR', 'OR', 'ADD_OP', 'MUL_OP', 'COMMA', 'RBRACE', 'RPAR', 'RSQB', 'SEMICOLON'), {}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '_NL', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS', 'RSQB'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('NAME', 'COMMENT', '__IGNORE_0'), {}),
    (('COMMENT', '__IGNORE_0', 'OR', 'RPAR'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'AND', 'OR', 'ADD_OP', 'RBRACE', 'RPAR', 'SEMICOLON'), {}),
    (('COMMENT', '__IGNORE_0', 'EQUAL', 'LBRACE'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'AND', 'OR', 'RBRACE', 'RPAR', 'SEMICOLON'), {}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE', 'not': 'NOT'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE', 'not': 'NOT'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'COMMA', 'RBRACE', 'RSQB', 'SEMICOLON'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'AND', 'FOR', 'COMPARATOR', 'OR', 'ADD_OP', 'MUL_OP', 'COMMA', 'DOT', 'LBRACE', 'RBRACE', 'RPAR', 'RSQB', 'SEMICOLON'), {}),
    (('OBJECTIVE', 'NAME', 'COMMENT', '__IGNORE_0', 'RBRACE'), {'NAME': {'require': 'REQUIRE', 'drop': 'DROP', 'vary': 'VARY'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'RBRACE', 'SEMICOLON'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'COMMA', 'RSQB'), {}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '_NL', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS', 'RSQB'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('UNIT', 'COMMENT', '_NL', '__IGNORE_0', 'COMPARATOR', 'ADD_OP', 'MUL_OP', 'COMMA', 'RBRACE', 'RPAR', 'RSQB', 'SEMICOLON'), {'UNIT': {'and': 'AND', 'or': 'OR'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'AND', 'FOR', 'COMPARATOR', 'OR', 'ADD_OP', 'MUL_OP', 'COMMA', 'DOT', 'LBRACE', 'RBRACE', 'RPAR', 'RSQB', 'SEMICOLON'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'COMMA', 'RSQB'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'RBRACE', 'SEMICOLON'), {}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE', 'not': 'NOT'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'SEMICOLON'), {}),
    (('COMMENT', '__IGNORE_0', 'IN'), {}),
    (('NAME', 'COMMENT', '__IGNORE_0'), {}),
    (('COMMENT', '__IGNORE_0', 'REQUIRE'), {}),
    (('OBJECTIVE', 'NAME', 'COMMENT', '_NL', '__IGNORE_0', 'RBRACE', 'SEMICOLON'), {'NAME': {'require': 'REQUIRE', 'drop': 'DROP', 'vary': 'VARY'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'SEMICOLON'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'COMMA', 'RBRACE', 'RSQB', 'SEMICOLON'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'AND', 'COMPARATOR', 'OR', 'ADD_OP', 'RBRACE', 'RPAR', 'SEMICOLON'), {}),
    (('OBJECTIVE', 'NAME', 'COMMENT', '_NL', '__IGNORE_0', 'RBRACE', 'SEMICOLON'), {'NAME': {'require': 'REQUIRE', 'import': 'IMPORT', 'const': 'CONST', 'drop': 'DROP', 'vary': 'VARY'}}),
    (('COMMENT', '__IGNORE_0', 'EQUAL'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'ADD_OP', 'MUL_OP', 'COMMA', 'DOT', 'LBRACE', 'RBRACE', 'RSQB', 'SEMICOLON'), {}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '_NL', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS', 'RSQB'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('COMMENT', '__IGNORE_0', 'LBRACE'), {}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS', 'RSQB'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('NAME', 'COMMENT', '__IGNORE_0'), {'NAME': {'import': 'IMPORT', 'const': 'CONST'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('COMMENT', '__IGNORE_0', 'FROM', 'FOR', 'LBRACE'), {}),
    (('COMMENT', '__IGNORE_0', 'LBRACE'), {}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '_NL', '__IGNORE_0', 'COMMA', 'LPAR', 'LSQB', 'MINUS', 'RSQB'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('OBJECTIVE', 'NAME', 'COMMENT', '__IGNORE_0', 'RBRACE'), {'NAME': {'require': 'REQUIRE', 'drop': 'DROP', 'vary': 'VARY'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('NAME', 'COMMENT', '__IGNORE_0'), {'NAME': {'import': 'IMPORT', 'const': 'CONST'}}),
    (('STRING', 'COMMENT', '__IGNORE_0'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'ADD_OP', 'COMMA', 'RBRACE', 'RSQB', 'SEMICOLON'), {}),
    (('COMMENT', '__IGNORE_0', 'FOR', 'LBRACE'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'OR', 'RBRACE', 'SEMICOLON'), {}),
    (('NAME', 'COMMENT', '__IGNORE_0'), {'NAME': {'import': 'IMPORT', 'const': 'CONST'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('COMMENT', '__IGNORE_0', 'FOR', 'LBRACE'), {}),
    (('COMMENT', '__IGNORE_0'), {}),
    (('NAME', 'COMMENT', '_NL', '__IGNORE_0', 'SEMICOLON'), {'NAME': {'import': 'IMPORT', 'const': 'CONST'}}),
    (('OBJECTIVE', 'NAME', 'COMMENT', '__IGNORE_0', 'RBRACE'), {'NAME': {'require': 'REQUIRE', 'drop': 'DROP', 'vary': 'VARY'}}),
)

STATES = (
    (0, {'FALSE': 87, 'LPAR': 132, 'LSQB': 0, 'MINUS': 113, 'NAME': 51, 'NUMBER': 21, 'RSQB': 55, 'STRING': 57, 'TRUE': 32, '_NL': 89, '__list_star_3': 2, '__list_star_4': 62, 'atom': 13, 'configured': 66, 'expr': 100, 'list': 90, 'product': 146, 'quantity': 94, 'ref': 35, 'sum': 99, 'unary': 145, 'value': 88}),  # 0
    (1, {'$END': -73, 'ADD_OP': -73, 'AND': -73, 'COMMA': -73, 'COMPARATOR': -73, 'MUL_OP': -73, 'OR': -73, 'RBRACE': -73, 'RPAR': -73, 'RSQB': -73, 'SEMICOLON': -73, '_NL': -73}),  # 1
    (2, {'FALSE': 87, 'LPAR': 132, 'LSQB': 0, 'MINUS': 113, 'NAME': 51, 'NUMBER': 21, 'RSQB': 1, 'STRING': 57, 'TRUE': 32, '_NL': 140, '__list_star_4': 136, 'atom': 13, 'configured': 66, 'expr': 100, 'list': 90, 'product': 146, 'quantity': 94, 'ref': 35, 'sum': 99, 'unary': 145, 'value': 126}),  # 2
    (3, {'NAME': 144}),  # 3
    (1, {'$END': -76, 'ADD_OP': -76, 'AND': -76, 'COMMA': -76, 'COMPARATOR': -76, 'MUL_OP': -76, 'OR': -76, 'RBRACE': -76, 'RPAR': -76, 'RSQB': -76, 'SEMICOLON': -76, '_NL': -76}),  # 4
    (4, {'OR': 10, 'RPAR': 58}),  # 5
    (5, {'ADD_OP': 93, 'AND': -48, 'OR': -48, 'RBRACE': -48, 'RPAR': -48, 'SEMICOLON': -48, '_NL': -48}),  # 6
    (6, {'EQUAL': 129, 'LBRACE': 34, 'block': 61}),  # 7
    (7, {'AND': -46, 'OR': -46, 'RBRACE': -46, 'RPAR': -46, 'SEMICOLON': -46, '_NL': -46}),  # 8
    (8, {'FALSE': 87, 'LPAR': 132, 'LSQB': 0, 'MINUS': 113, 'NAME': 12, 'NOT': 109, 'NUMBER': 21, 'STRING': 57, 'TRUE': 32, 'and_test': 72, 'atom': 13, 'comparison': 139, 'condition': 119, 'list': 90, 'product': 146, 'quantity': 94, 'ref': 35, 'sum': 39, 'unary': 145}),  # 9
    (9, {'FALSE': 87, 'LPAR': 132, 'LSQB': 0, 'MINUS': 113, 'NAME': 12, 'NOT': 109, 'NUMBER': 21, 'STRING': 57, 'TRUE': 32, 'and_test': 15, 'atom': 13, 'comparison': 139, 'list': 90, 'product': 146, 'quantity': 94, 'ref': 35, 'sum': 39, 'unary': 145}),  # 10
    (10, {'$END': -20, 'COMMA': -20, 'RBRACE': -20, 'RSQB': -20, 'SEMICOLON': -20, '_NL': -20}),  # 11
    (11, {'$END': -67, 'ADD_OP': -67, 'AND': -67, 'COMMA': -67, 'COMPARATOR': -67, 'DOT': 73, 'FOR': -67, 'LBRACE': -67, 'MUL_OP': -67, 'OR': -67, 'RBRACE': -67, 'RPAR': -67, 'RSQB': -67, 'SEMICOLON': -67, '_NL': -67, '__ref_star_2': 22}),  # 12
    (1, {'$END': -55, 'ADD_OP': -55, 'AND': -55, 'COMMA': -55, 'COMPARATOR': -55, 'MUL_OP': -55, 'OR': -55, 'RBRACE': -55, 'RPAR': -55, 'RSQB': -55, 'SEMICOLON': -55, '_NL': -55}),  # 13
    (1, {'$END': -52, 'ADD_OP': -52, 'AND': -52, 'COMMA': -52, 'COMPARATOR': -52, 'MUL_OP': 65, 'OR': -52, 'RBRACE': -52, 'RPAR': -52, 'RSQB': -52, 'SEMICOLON': -52, '_NL': -52}),  # 14
    (7, {'AND': 26, 'OR': -44, 'RBRACE': -44, 'RPAR': -44, 'SEMICOLON': -44, '_NL': -44}),  # 15
    (12, {'DROP': 31, 'NAME': 7, 'OBJECTIVE': 124, 'RBRACE': 103, 'REQUIRE': 77, 'VARY': 121, '_entry': 25, 'assignment': 118, 'drop_stmt': 24, 'objective': 91, 'require_stmt': 115, 'subblock': 44, 'vary_stmt': 108}),  # 16
    (13, {'RBRACE': -38, 'SEMICOLON': -38, '_NL': -38}),  # 17
    (14, {'COMMA': 152, 'RSQB': 96, '_NL': 140}),  # 18
    (1, {'$END': -72, 'ADD_OP': -72, 'AND': -72, 'COMMA': -72, 'COMPARATOR': -72, 'MUL_OP': -72, 'OR': -72, 'RBRACE': -72, 'RPAR': -72, 'RSQB': -72, 'SEMICOLON': -72, '_NL': -72}),  # 19
    (15, {'FALSE': -96, 'LPAR': -96, 'LSQB': -96, 'MINUS': -96, 'NAME': -96, 'NUMBER': -96, 'RSQB': -96, 'STRING': -96, 'TRUE': -96, '_NL': 89, '__list_star_3': 59}),  # 20
    (16, {'$END': -65, 'ADD_OP': -65, 'AND': -65, 'COMMA': -65, 'COMPARATOR': -65, 'MUL_OP': -65, 'OR': -65, 'RBRACE': -65, 'RPAR': -65, 'RSQB': -65, 'SEMICOLON': -65, 'UNIT': 67, '_NL': -65}),  # 21
    (17, {'$END': -66, 'ADD_OP': -66, 'AND': -66, 'COMMA': -66, 'COMPARATOR': -66, 'DOT': 3, 'FOR': -66, 'LBRACE': -66, 'MUL_OP': -66, 'OR': -66, 'RBRACE': -66, 'RPAR': -66, 'RSQB': -66, 'SEMICOLON': -66, '_NL': -66}),  # 22
    (18, {'COMMA': 20, 'RSQB': 53, '_NL': 89, '__list_star_3': 52}),  # 23
    (13, {'RBRACE': -31, 'SEMICOLON': -31, '_NL': -31}),  # 24
    (19, {'RBRACE': 110, 'SEMICOLON': 42, '_NL': 149, '___sep_plus_5': 102, '_sep': 114}),  # 25
    (20, {'FALSE': 87, 'LPAR': 132, 'LSQB': 0, 'MINUS': 113, 'NAME': 12, 'NOT': 109, 'NUMBER': 21, 'STRING': 57, 'TRUE': 32, 'atom': 13, 'comparison': 8, 'list': 90, 'product': 146, 'quantity': 94, 'ref': 35, 'sum': 39, 'unary': 145}),  # 26
    (21, {'$END': -11, 'SEMICOLON': -11, '_NL': -11}),  # 27
    (22, {'IN': 112}),  # 28
    (23, {'NAME': 12, 'ref': 116}),  # 29
    (3, {'NAME': 84}),  # 30
    (24, {'REQUIRE': 9}),  # 31
    (1, {'$END': -59, 'ADD_OP': -59, 'AND': -59, 'COMMA': -59, 'COMPARATOR': -59, 'MUL_OP': -59, 'OR': -59, 'RBRACE': -59, 'RPAR': -59, 'RSQB': -59, 'SEMICOLON': -59, '_NL': -59}),  # 32
    (1, {'$END': -75, 'ADD_OP': -75, 'AND': -75, 'COMMA': -75, 'COMPARATOR': -75, 'MUL_OP': -75, 'OR': -75, 'RBRACE': -75, 'RPAR': -75, 'RSQB': -75, 'SEMICOLON': -75, '_NL': -75}),  # 33
    (25, {'DROP': 31, 'NAME': 7, 'OBJECTIVE': 124, 'RBRACE': 106, 'REQUIRE': 77, 'SEMICOLON': 42, 'VARY': 121, '_NL': 149, '___sep_plus_5': 102, '__block_star_1': 16, '_entry': 134, '_sep': 151, 'assignment': 118, 'drop_stmt': 24, 'objective': 91, 'require_stmt': 115, 'subblock': 44, 'vary_stmt': 108}),  # 34
    (1, {'$END': -61, 'ADD_OP': -61, 'AND': -61, 'COMMA': -61, 'COMPARATOR': -61, 'MUL_OP': -61, 'OR': -61, 'RBRACE': -61, 'RPAR': -61, 'RSQB': -61, 'SEMICOLON': -61, '_NL': -61}),  # 35
    (26, {'$END': -7, 'SEMICOLON': 42, '_NL': 149, '___sep_plus_5': 102, '_sep': 127}),  # 36
    (27, {'COMMA': -42, 'RBRACE': -42, 'RSQB': -42, 'SEMICOLON': -42, '_NL': -42}),  # 37
    (1, {'$END': -70, 'ADD_OP': -70, 'AND': -70, 'COMMA': -70, 'COMPARATOR': -70, 'MUL_OP': -70, 'OR': -70, 'RBRACE': -70, 'RPAR': -70, 'RSQB': -70, 'SEMICOLON': -70, '_NL': -70}),  # 38
    (28, {'ADD_OP': 93, 'AND': -47, 'COMPARATOR': 131, 'OR': -47, 'RBRACE': -47, 'RPAR': -47, 'SEMICOLON': -47, '_NL': -47}),  # 39
    (17, {'$END': -85, 'ADD_OP': -85, 'AND': -85, 'COMMA': -85, 'COMPARATOR': -85, 'DOT': -85, 'FOR': -85, 'LBRACE': -85, 'MUL_OP': -85, 'OR': -85, 'RBRACE': -85, 'RPAR': -85, 'RSQB': -85, 'SEMICOLON': -85, '_NL': -85}),  # 40
    (1, {'$END': -77, 'ADD_OP': -77, 'AND': -77, 'COMMA': -77, 'COMPARATOR': -77, 'MUL_OP': -77, 'OR': -77, 'RBRACE': -77, 'RPAR': -77, 'RSQB': -77, 'SEMICOLON': -77, '_NL': -77}),  # 41
    (29, {'$END': -98, 'CONST': -98, 'DROP': -98, 'IMPORT': -98, 'NAME': -98, 'OBJECTIVE': -98, 'RBRACE': -98, 'REQUIRE': -98, 'SEMICOLON': -98, 'VARY': -98, '_NL': -98}),  # 42
    (26, {'$END': -3, 'SEMICOLON': 42, '_NL': 149, '___sep_plus_5': 102, '_sep': 127}),  # 43
    (13, {'RBRACE': -29, 'SEMICOLON': -29, '_NL': -29}),  # 44
    (1, {'$END': -56, 'ADD_OP': -56, 'AND': -56, 'COMMA': -56, 'COMPARATOR': -56, 'MUL_OP': -56, 'OR': -56, 'RBRACE': -56, 'RPAR': -56, 'RSQB': -56, 'SEMICOLON': -56, '_NL': -56}),  # 45
    (3, {'NAME': 80}),  # 46
    (10, {'$END': -26, 'COMMA': -26, 'RBRACE': -26, 'RSQB': -26, 'SEMICOLON': -26, '_NL': -26}),  # 47
    (15, {'FALSE': -94, 'LPAR': -94, 'LSQB': -94, 'MINUS': -94, 'NAME': -94, 'NUMBER': -94, 'RSQB': -94, 'STRING': -94, 'TRUE': -94, '_NL': 89, '__list_star_3': 63}),  # 48
    (1, {'$END': -74, 'ADD_OP': -74, 'AND': -74, 'COMMA': -74, 'COMPARATOR': -74, 'MUL_OP': -74, 'OR': -74, 'RBRACE': -74, 'RPAR': -74, 'RSQB': -74, 'SEMICOLON': -74, '_NL': -74}),  # 49
    (30, {'EQUAL': 71}),  # 50
    (31, {'ADD_OP': -67, 'COMMA': -67, 'DOT': 73, 'LBRACE': 34, 'MUL_OP': -67, 'RBRACE': -67, 'RSQB': -67, 'SEMICOLON': -67, '_NL': -67, '__ref_star_2': 22, 'block': 37}),  # 51
    (14, {'COMMA': 48, 'RSQB': 54, '_NL': 140}),  # 52
    (1, {'$END': -69, 'ADD_OP': -69, 'AND': -69, 'COMMA': -69, 'COMPARATOR': -69, 'MUL_OP': -69, 'OR': -69, 'RBRACE': -69, 'RPAR': -69, 'RSQB': -69, 'SEMICOLON': -69, '_NL': -69}),  # 53
    (1, {'$END': -68, 'ADD_OP': -68, 'AND': -68, 'COMMA': -68, 'COMPARATOR': -68, 'MUL_OP': -68, 'OR': -68, 'RBRACE': -68, 'RPAR': -68, 'RSQB': -68, 'SEMICOLON': -68, '_NL': -68}),  # 54
    (1, {'$END': -79, 'ADD_OP': -79, 'AND': -79, 'COMMA': -79, 'COMPARATOR': -79, 'MUL_OP': -79, 'OR': -79, 'RBRACE': -79, 'RPAR': -79, 'RSQB': -79, 'SEMICOLON': -79, '_NL': -79}),  # 55
    (29, {'$END': -100, 'CONST': -100, 'DROP': -100, 'IMPORT': -100, 'NAME': -100, 'OBJECTIVE': -100, 'RBRACE': -100, 'REQUIRE': -100, 'SEMICOLON': -100, 'VARY': -100, '_NL': -100}),  # 56
    (1, {'$END': -58, 'ADD_OP': -58, 'AND': -58, 'COMMA': -58, 'COMPARATOR': -58, 'MUL_OP': -58, 'OR': -58, 'RBRACE': -58, 'RPAR': -58, 'RSQB': -58, 'SEMICOLON': -58, '_NL': -58}),  # 57
    (1, {'$END': -63, 'ADD_OP': -63, 'AND': -63, 'COMMA': -63, 'COMPARATOR': -63, 'MUL_OP': -63, 'OR': -63, 'RBRACE': -63, 'RPAR': -63, 'RSQB': -63, 'SEMICOLON': -63, '_NL': -63}),  # 58
    (32, {'FALSE': -95, 'LPAR': -95, 'LSQB': -95, 'MINUS': -95, 'NAME': -95, 'NUMBER': -95, 'RSQB': -95, 'STRING': -95, 'TRUE': -95, '_NL': 140}),  # 59
    (33, {'LBRACE': 34, 'block': 125}),  # 60
    (13, {'RBRACE': -35, 'SEMICOLON': -35, '_NL': -35}),  # 61
    (34, {'FALSE': 87, 'LPAR': 132, 'LSQB': 0, 'MINUS': 113, 'NAME': 51, 'NUMBER': 21, 'RSQB': 4, 'STRING': 57, 'TRUE': 32, 'atom': 13, 'configured': 66, 'expr': 100, 'list': 90, 'product': 146, 'quantity': 94, 'ref': 35, 'sum': 99, 'unary': 145, 'value': 81}),  # 62
    (32, {'FALSE': -93, 'LPAR': -93, 'LSQB': -93, 'MINUS': -93, 'NAME': -93, 'NUMBER': -93, 'RSQB': -93, 'STRING': -93, 'TRUE': -93, '_NL': 140}),  # 63
    (10, {'$END': -22, 'COMMA': -22, 'RBRACE': -22, 'RSQB': -22, 'SEMICOLON': -22, '_NL': -22}),  # 64
    (35, {'FALSE': 87, 'LPAR': 132, 'LSQB': 0, 'MINUS': 113, 'NAME': 12, 'NUMBER': 21, 'STRING': 57, 'TRUE': 32, 'atom': 13, 'list': 90, 'quantity': 94, 'ref': 35, 'unary': 147}),  # 65
    (27, {'COMMA': -41, 'RBRACE': -41, 'RSQB': -41, 'SEMICOLON': -41, '_NL': -41}),  # 66
    (1, {'$END': -64, 'ADD_OP': -64, 'AND': -64, 'COMMA': -64, 'COMPARATOR': -64, 'MUL_OP': -64, 'OR': -64, 'RBRACE': -64, 'RPAR': -64, 'RSQB': -64, 'SEMICOLON': -64, '_NL': -64}),  # 67
    (36, {'$END': -82, 'CONST': -82, 'IMPORT': -82, 'NAME': -82}),  # 68
    (29, {'$END': -99, 'CONST': -99, 'DROP': -99, 'IMPORT': -99, 'NAME': -99, 'OBJECTIVE': -99, 'RBRACE': -99, 'REQUIRE': -99, 'SEMICOLON': -99, 'VARY': -99, '_NL': -99}),  # 69
    (21, {'$END': -17, 'SEMICOLON': -17, '_NL': -17}),  # 70
    (37, {'FALSE': 87, 'LPAR': 132, 'LSQB': 0, 'MINUS': 113, 'NAME': 12, 'NUMBER': 21, 'STRING': 57, 'TRUE': 32, 'atom': 13, 'expr': 111, 'list': 90, 'product': 146, 'quantity': 94, 'ref': 35, 'sum': 99, 'unary': 145}),  # 71
    (7, {'AND': 26, 'OR': -43, 'RBRACE': -43, 'RPAR': -43, 'SEMICOLON': -43, '_NL': -43}),  # 72
    (3, {'NAME': 40}),  # 73
    (32, {'FALSE': -89, 'LPAR': -89, 'LSQB': -89, 'MINUS': -89, 'NAME': -89, 'NUMBER': -89, 'RSQB': -89, 'STRING': -89, 'TRUE': -89, '_NL': 140}),  # 74
    (21, {'$END': -9, 'SEMICOLON': -9, '_NL': -9}),  # 75
    (26, {'$END': -1, 'SEMICOLON': 42, '_NL': 149, '___sep_plus_5': 102, '_sep': 68}),  # 76
    (8, {'FALSE': 87, 'LPAR': 132, 'LSQB': 0, 'MINUS': 113, 'NAME': 12, 'NOT': 109, 'NUMBER': 21, 'STRING': 57, 'TRUE': 32, 'and_test': 72, 'atom': 13, 'comparison': 139, 'condition': 122, 'list': 90, 'product': 146, 'quantity': 94, 'ref': 35, 'sum': 39, 'unary': 145}),  # 77
    (21, {'$END': -15, 'SEMICOLON': -15, '_NL': -15}),  # 78
    (19, {'RBRACE': 64, 'SEMICOLON': 42, '_NL': 149, '___sep_plus_5': 102, '_sep': 92}),  # 79
    (38, {'FOR': 30, 'FROM': 29, 'LBRACE': 34, 'base': 133, 'block': 70, 'target': 60}),  # 80
    (18, {'COMMA': 20, 'RSQB': 33, '_NL': 89, '__list_star_3': 138}),  # 81
    (32, {'FALSE': -91, 'LPAR': -91, 'LSQB': -91, 'MINUS': -91, 'NAME': -91, 'NUMBER': -91, 'RSQB': -91, 'STRING': -91, 'TRUE': -91, '_NL': 140}),  # 82
    (33, {'LBRACE': 34, 'block': 148}),  # 83
    (39, {'LBRACE': -19}),  # 84
    (10, {'$END': -23, 'COMMA': -23, 'RBRACE': -23, 'RSQB': -23, 'SEMICOLON': -23, '_NL': -23}),  # 85
    (14, {'COMMA': 152, 'RSQB': 41, '_NL': 140}),  # 86
    (1, {'$END': -60, 'ADD_OP': -60, 'AND': -60, 'COMMA': -60, 'COMPARATOR': -60, 'MUL_OP': -60, 'OR': -60, 'RBRACE': -60, 'RPAR': -60, 'RSQB': -60, 'SEMICOLON': -60, '_NL': -60}),  # 87
    (18, {'COMMA': 143, 'RSQB': 123, '_NL': 89, '__list_star_3': 86}),  # 88
    (40, {'COMMA': -87, 'FALSE': -87, 'LPAR': -87, 'LSQB': -87, 'MINUS': -87, 'NAME': -87, 'NUMBER': -87, 'RSQB': -87, 'STRING': -87, 'TRUE': -87, '_NL': -87}),  # 89
    (1, {'$END': -62, 'ADD_OP': -62, 'AND': -62, 'COMMA': -62, 'COMPARATOR': -62, 'MUL_OP': -62, 'OR': -62, 'RBRACE': -62, 'RPAR': -62, 'RSQB': -62, 'SEMICOLON': -62, '_NL': -62}),  # 90
    (13, {'RBRACE': -33, 'SEMICOLON': -33, '_NL': -33}),  # 91
    (41, {'DROP': -83, 'NAME': -83, 'OBJECTIVE': -83, 'RBRACE': -83, 'REQUIRE': -83, 'VARY': -83}),  # 92
    (42, {'FALSE': 87, 'LPAR': 132, 'LSQB': 0, 'MINUS': 113, 'NAME': 12, 'NUMBER': 21, 'STRING': 57, 'TRUE': 32, 'atom': 13, 'list': 90, 'product': 14, 'quantity': 94, 'ref': 35, 'unary': 145}),  # 93
    (1, {'$END': -57, 'ADD_OP': -57, 'AND': -57, 'COMMA': -57, 'COMPARATOR': -57, 'MUL_OP': -57, 'OR': -57, 'RBRACE': -57, 'RPAR': -57, 'RSQB': -57, 'SEMICOLON': -57, '_NL': -57}),  # 94
    (43, {'$END': -4, 'CONST': 98, 'IMPORT': 97, 'NAME': 46, '__start_star_0': 150, '_item': 43, 'const_decl': 135, 'declaration': 27, 'import_stmt': 75}),  # 95
    (1, {'$END': -71, 'ADD_OP': -71, 'AND': -71, 'COMMA': -71, 'COMPARATOR': -71, 'MUL_OP': -71, 'OR': -71, 'RBRACE': -71, 'RPAR': -71, 'RSQB': -71, 'SEMICOLON': -71, '_NL': -71}),  # 96
    (44, {'STRING': 137}),  # 97
    (3, {'NAME': 50}),  # 98
    (45, {'$END': -50, 'ADD_OP': 93, 'COMMA': -50, 'RBRACE': -50, 'RSQB': -50, 'SEMICOLON': -50, '_NL': -50}),  # 99
    (27, {'COMMA': -40, 'RBRACE': -40, 'RSQB': -40, 'SEMICOLON': -40, '_NL': -40}),  # 100
    (13, {'RBRACE': -39, 'SEMICOLON': -39, '_NL': -39}),  # 101
    (29, {'$END': -80, 'CONST': -80, 'DROP': -80, 'IMPORT': -80, 'NAME': -80, 'OBJECTIVE': -80, 'RBRACE': -80, 'REQUIRE': -80, 'SEMICOLON': 56, 'VARY': -80, '_NL': 69}),  # 102
    (10, {'$END': -25, 'COMMA': -25, 'RBRACE': -25, 'RSQB': -25, 'SEMICOLON': -25, '_NL': -25}),  # 103
    (7, {'AND': -49, 'OR': -49, 'RBRACE': -49, 'RPAR': -49, 'SEMICOLON': -49, '_NL': -49}),  # 104
    (10, {'$END': -21, 'COMMA': -21, 'RBRACE': -21, 'RSQB': -21, 'SEMICOLON': -21, '_NL': -21}),  # 105
    (10, {'$END': -27, 'COMMA': -27, 'RBRACE': -27, 'RSQB': -27, 'SEMICOLON': -27, '_NL': -27}),  # 106
    (19, {'RBRACE': 11, 'SEMICOLON': 42, '_NL': 149, '___sep_plus_5': 102, '_sep': 114}),  # 107
    (13, {'RBRACE': -32, 'SEMICOLON': -32, '_NL': -32}),  # 108
    (20, {'FALSE': 87, 'LPAR': 132, 'LSQB': 0, 'MINUS': 113, 'NAME': 12, 'NOT': 109, 'NUMBER': 21, 'STRING': 57, 'TRUE': 32, 'atom': 13, 'comparison': 104, 'list': 90, 'product': 146, 'quantity': 94, 'ref': 35, 'sum': 39, 'unary': 145}),  # 109
    (10, {'$END': -24, 'COMMA': -24, 'RBRACE': -24, 'RSQB': -24, 'SEMICOLON': -24, '_NL': -24}),  # 110
    (21, {'$END': -13, 'SEMICOLON': -13, '_NL': -13}),  # 111
    (37, {'FALSE': 87, 'LPAR': 132, 'LSQB': 0, 'MINUS': 113, 'NAME': 12, 'NUMBER': 21, 'STRING': 57, 'TRUE': 32, 'atom': 13, 'expr': 17, 'list': 90, 'product': 146, 'quantity': 94, 'ref': 35, 'sum': 99, 'unary': 145}),  # 112
    (35, {'FALSE': 87, 'LPAR': 132, 'LSQB': 0, 'MINUS': 113, 'NAME': 12, 'NUMBER': 21, 'STRING': 57, 'TRUE': 32, 'atom': 13, 'list': 90, 'quantity': 94, 'ref': 35, 'unary': 45}),  # 113
    (41, {'DROP': -84, 'NAME': -84, 'OBJECTIVE': -84, 'RBRACE': -84, 'REQUIRE': -84, 'VARY': -84}),  # 114
    (13, {'RBRACE': -30, 'SEMICOLON': -30, '_NL': -30}),  # 115
    (46, {'FOR': -18, 'LBRACE': -18}),  # 116
    (13, {'RBRACE': -34, 'SEMICOLON': -34, '_NL': -34}),  # 117
    (13, {'RBRACE': -28, 'SEMICOLON': -28, '_NL': -28}),  # 118
    (47, {'OR': 10, 'RBRACE': -37, 'SEMICOLON': -37, '_NL': -37}),  # 119
    (48, {'$END': -6, 'CONST': 98, 'IMPORT': 97, 'NAME': 46, '_item': 130, 'const_decl': 135, 'declaration': 27, 'import_stmt': 75}),  # 120
    (3, {'NAME': 28}),  # 121
    (47, {'OR': 10, 'RBRACE': -36, 'SEMICOLON': -36, '_NL': -36}),  # 122
    (1, {'$END': -78, 'ADD_OP': -78, 'AND': -78, 'COMMA': -78, 'COMPARATOR': -78, 'MUL_OP': -78, 'OR': -78, 'RBRACE': -78, 'RPAR': -78, 'RSQB': -78, 'SEMICOLON': -78, '_NL': -78}),  # 123
    (3, {'NAME': 101}),  # 124
    (21, {'$END': -16, 'SEMICOLON': -16, '_NL': -16}),  # 125
    (18, {'COMMA': 143, 'RSQB': 19, '_NL': 89, '__list_star_3': 18}),  # 126
    (36, {'$END': -81, 'CONST': -81, 'IMPORT': -81, 'NAME': -81}),  # 127
    (12, {'DROP': 31, 'NAME': 7, 'OBJECTIVE': 124, 'RBRACE': 105, 'REQUIRE': 77, 'VARY': 121, '_entry': 107, 'assignment': 118, 'drop_stmt': 24, 'objective': 91, 'require_stmt': 115, 'subblock': 44, 'vary_stmt': 108}),  # 128
    (49, {'FALSE': 87, 'LPAR': 132, 'LSQB': 0, 'MINUS': 113, 'NAME': 51, 'NUMBER': 21, 'STRING': 57, 'TRUE': 32, 'atom': 13, 'configured': 66, 'expr': 100, 'list': 90, 'product': 146, 'quantity': 94, 'ref': 35, 'sum': 99, 'unary': 145, 'value': 117}),  # 129
    (26, {'$END': -5, 'SEMICOLON': 42, '_NL': 149, '___sep_plus_5': 102, '_sep': 68}),  # 130
    (50, {'FALSE': 87, 'LPAR': 132, 'LSQB': 0, 'MINUS': 113, 'NAME': 12, 'NUMBER': 21, 'STRING': 57, 'TRUE': 32, 'atom': 13, 'list': 90, 'product': 146, 'quantity': 94, 'ref': 35, 'sum': 6, 'unary': 145}),  # 131
    (8, {'FALSE': 87, 'LPAR': 132, 'LSQB': 0, 'MINUS': 113, 'NAME': 12, 'NOT': 109, 'NUMBER': 21, 'STRING': 57, 'TRUE': 32, 'and_test': 72, 'atom': 13, 'comparison': 139, 'condition': 5, 'list': 90, 'product': 146, 'quantity': 94, 'ref': 35, 'sum': 39, 'unary': 145}),  # 132
    (51, {'FOR': 30, 'LBRACE': 34, 'block': 78, 'target': 83}),  # 133
    (19, {'RBRACE': 47, 'SEMICOLON': 42, '_NL': 149, '___sep_plus_5': 102, '_sep': 92}),  # 134
    (21, {'$END': -10, 'SEMICOLON': -10, '_NL': -10}),  # 135
    (34, {'FALSE': 87, 'LPAR': 132, 'LSQB': 0, 'MINUS': 113, 'NAME': 51, 'NUMBER': 21, 'RSQB': 38, 'STRING': 57, 'TRUE': 32, 'atom': 13, 'configured': 66, 'expr': 100, 'list': 90, 'product': 146, 'quantity': 94, 'ref': 35, 'sum': 99, 'unary': 145, 'value': 23}),  # 136
    (21, {'$END': -12, 'SEMICOLON': -12, '_NL': -12}),  # 137
    (14, {'COMMA': 48, 'RSQB': 49, '_NL': 140}),  # 138
    (7, {'AND': -45, 'OR': -45, 'RBRACE': -45, 'RPAR': -45, 'SEMICOLON': -45, '_NL': -45}),  # 139
    (40, {'COMMA': -88, 'FALSE': -88, 'LPAR': -88, 'LSQB': -88, 'MINUS': -88, 'NAME': -88, 'NUMBER': -88, 'RSQB': -88, 'STRING': -88, 'TRUE': -88, '_NL': -88}),  # 140
    (52, {}),  # 141
    (53, {'$END': -8, 'CONST': 98, 'IMPORT': 97, 'NAME': 46, 'SEMICOLON': 42, '_NL': 149, '___sep_plus_5': 102, '__start_star_0': 120, '_item': 36, '_sep': 95, 'const_decl': 135, 'declaration': 27, 'import_stmt': 75, 'start': 141}),  # 142
    (15, {'FALSE': -92, 'LPAR': -92, 'LSQB': -92, 'MINUS': -92, 'NAME': -92, 'NUMBER': -92, 'RSQB': -92, 'STRING': -92, 'TRUE': -92, '_NL': 89, '__list_star_3': 82}),  # 143
    (17, {'$END': -86, 'ADD_OP': -86, 'AND': -86, 'COMMA': -86, 'COMPARATOR': -86, 'DOT': -86, 'FOR': -86, 'LBRACE': -86, 'MUL_OP': -86, 'OR': -86, 'RBRACE': -86, 'RPAR': -86, 'RSQB': -86, 'SEMICOLON': -86, '_NL': -86}),  # 144
    (1, {'$END': -53, 'ADD_OP': -53, 'AND': -53, 'COMMA': -53, 'COMPARATOR': -53, 'MUL_OP': -53, 'OR': -53, 'RBRACE': -53, 'RPAR': -53, 'RSQB': -53, 'SEMICOLON': -53, '_NL': -53}),  # 145
    (1, {'$END': -51, 'ADD_OP': -51, 'AND': -51, 'COMMA': -51, 'COMPARATOR': -51, 'MUL_OP': 65, 'OR': -51, 'RBRACE': -51, 'RPAR': -51, 'RSQB': -51, 'SEMICOLON': -51, '_NL': -51}),  # 146
    (1, {'$END': -54, 'ADD_OP': -54, 'AND': -54, 'COMMA': -54, 'COMPARATOR': -54, 'MUL_OP': -54, 'OR': -54, 'RBRACE': -54, 'RPAR': -54, 'RSQB': -54, 'SEMICOLON': -54, '_NL': -54}),  # 147
    (21, {'$END': -14, 'SEMICOLON': -14, '_NL': -14}),  # 148
    (29, {'$END': -97, 'CONST': -97, 'DROP': -97, 'IMPORT': -97, 'NAME': -97, 'OBJECTIVE': -97, 'RBRACE': -97, 'REQUIRE': -97, 'SEMICOLON': -97, 'VARY': -97, '_NL': -97}),  # 149
    (48, {'$END': -2, 'CONST': 98, 'IMPORT': 97, 'NAME': 46, '_item': 76, 'const_decl': 135, 'declaration': 27, 'import_stmt': 75}),  # 150
    (54, {'DROP': 31, 'NAME': 7, 'OBJECTIVE': 124, 'RBRACE': 85, 'REQUIRE': 77, 'VARY': 121, '__block_star_1': 128, '_entry': 79, 'assignment': 118, 'drop_stmt': 24, 'objective': 91, 'require_stmt': 115, 'subblock': 44, 'vary_stmt': 108}),  # 151
    (15, {'FALSE': -90, 'LPAR': -90, 'LSQB': -90, 'MINUS': -90, 'NAME': -90, 'NUMBER': -90, 'RSQB': -90, 'STRING': -90, 'TRUE': -90, '_NL': 89, '__list_star_3': 74}),  # 152
)
