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
START_STATE = 103
END_STATE = 25
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
    (('COMMENT', '__IGNORE_0', 'LBRACE'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'SEMICOLON'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'AND', 'COMPARATOR', 'OR', 'ADD_OP', 'MUL_OP', 'COMMA', 'RBRACE', 'RPAR', 'RSQB', 'SEMICOLON'), {}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS', 'RSQB'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'SEMICOLON'), {}),
    (('COMMENT', '__IGNORE_0', 'FOR', 'LBRACE'), {}),
    (('NAME', 'COMMENT', '__IGNORE_0'), {'NAME': {'import': 'IMPORT', 'const': 'CONST'}}),
    (('OBJECTIVE', 'NAME', 'COMMENT', '_NL', '__IGNORE_0', 'RBRACE', 'SEMICOLON'), {'NAME': {'require': 'REQUIRE', 'import': 'IMPORT', 'const': 'CONST', 'drop': 'DROP', 'vary': 'VARY'}}),
    (('NAME', 'COMMENT', '__IGNORE_0'), {}),
    (('STRING', 'COMMENT', '__IGNORE_0'), {}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE', 'not': 'NOT'}}),
    (('NAME', 'COMMENT', '__IGNORE_0'), {'NAME': {'import': 'IMPORT', 'const': 'CONST'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '_NL', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS', 'RSQB'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'AND', 'FOR', 'COMPARATOR', 'OR', 'ADD_OP', 'MUL_OP', 'COMMA', 'DOT', 'LBRACE', 'RBRACE', 'RPAR', 'RSQB', 'SEMICOLON'), {}),
    (('COMMENT', '__IGNORE_0', 'REQUIRE'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'COMMA', 'RSQB'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'COMMA', 'RBRACE', 'RSQB', 'SEMICOLON'), {}),
    (('COMMENT', '__IGNORE_0'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'RBRACE', 'SEMICOLON'), {}),
    (('NAME', 'COMMENT', '__IGNORE_0'), {}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '_NL', '__IGNORE_0', 'COMMA', 'LPAR', 'LSQB', 'MINUS', 'RSQB'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('NAME', 'COMMENT', '__IGNORE_0'), {'NAME': {'import': 'IMPORT', 'const': 'CONST'}}),
    (('OBJECTIVE', 'NAME', 'COMMENT', '__IGNORE_0', 'RBRACE'), {'NAME': {'require': 'REQUIRE', 'drop': 'DROP', 'vary': 'VARY'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'AND', 'OR', 'RBRACE', 'RPAR', 'SEMICOLON'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'RBRACE', 'SEMICOLON'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'OR', 'RBRACE', 'SEMICOLON'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'COMMA', 'RSQB'), {}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '_NL', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS', 'RSQB'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '_NL', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS', 'RSQB'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('COMMENT', '__IGNORE_0', 'FROM', 'FOR', 'LBRACE'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'AND', 'FOR', 'COMPARATOR', 'OR', 'ADD_OP', 'MUL_OP', 'COMMA', 'DOT', 'LBRACE', 'RBRACE', 'RPAR', 'RSQB', 'SEMICOLON'), {}),
    (('COMMENT', '__IGNORE_0', 'LBRACE'), {}),
    (('UNIT', 'COMMENT', '_NL', '__IGNORE_0', 'COMPARATOR', 'ADD_OP', 'MUL_OP', 'COMMA', 'RBRACE', 'RPAR', 'RSQB', 'SEMICOLON'), {'UNIT': {'and': 'AND', 'or': 'OR'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'AND', 'OR', 'ADD_OP', 'RBRACE', 'RPAR', 'SEMICOLON'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'COMMA', 'RBRACE', 'RSQB', 'SEMICOLON'), {}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '_NL', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS', 'RSQB'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'ADD_OP', 'MUL_OP', 'COMMA', 'DOT', 'LBRACE', 'RBRACE', 'RSQB', 'SEMICOLON'), {}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('OBJECTIVE', 'NAME', 'COMMENT', '_NL', '__IGNORE_0', 'RBRACE', 'SEMICOLON'), {'NAME': {'require': 'REQUIRE', 'drop': 'DROP', 'vary': 'VARY'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('COMMENT', '__IGNORE_0', 'IN'), {}),
    (('COMMENT', '__IGNORE_0', 'OR', 'RPAR'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'AND', 'COMPARATOR', 'OR', 'ADD_OP', 'RBRACE', 'RPAR', 'SEMICOLON'), {}),
    (('NAME', 'COMMENT', '_NL', '__IGNORE_0', 'SEMICOLON'), {'NAME': {'import': 'IMPORT', 'const': 'CONST'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE', 'not': 'NOT'}}),
    (('COMMENT', '__IGNORE_0', 'FOR', 'LBRACE'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'ADD_OP', 'COMMA', 'RBRACE', 'RSQB', 'SEMICOLON'), {}),
    (('OBJECTIVE', 'NAME', 'COMMENT', '__IGNORE_0', 'RBRACE'), {'NAME': {'require': 'REQUIRE', 'drop': 'DROP', 'vary': 'VARY'}}),
    (('COMMENT', '__IGNORE_0', 'EQUAL', 'LBRACE'), {}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE', 'not': 'NOT'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('COMMENT', '__IGNORE_0', 'EQUAL'), {}),
    (('OBJECTIVE', 'NAME', 'COMMENT', '__IGNORE_0', 'RBRACE'), {'NAME': {'require': 'REQUIRE', 'drop': 'DROP', 'vary': 'VARY'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
)

STATES = (
    (0, {'LBRACE': 82, 'block': 33}),  # 0
    (1, {'$END': -9, 'SEMICOLON': -9, '_NL': -9}),  # 1
    (2, {'$END': -78, 'ADD_OP': -78, 'AND': -78, 'COMMA': -78, 'COMPARATOR': -78, 'MUL_OP': -78, 'OR': -78, 'RBRACE': -78, 'RPAR': -78, 'RSQB': -78, 'SEMICOLON': -78, '_NL': -78}),  # 2
    (3, {'FALSE': 69, 'LPAR': 105, 'LSQB': 14, 'MINUS': 80, 'NAME': 76, 'NUMBER': 67, 'RSQB': 74, 'STRING': 83, 'TRUE': 50, 'atom': 124, 'configured': 72, 'expr': 79, 'list': 109, 'product': 139, 'quantity': 53, 'ref': 57, 'sum': 115, 'unary': 145, 'value': 75}),  # 3
    (4, {'$END': -1, 'SEMICOLON': 21, '_NL': 61, '___sep_plus_5': 8, '_sep': 12}),  # 4
    (1, {'$END': -17, 'SEMICOLON': -17, '_NL': -17}),  # 5
    (5, {'FOR': -18, 'LBRACE': -18}),  # 6
    (6, {'$END': -4, 'CONST': 22, 'IMPORT': 10, 'NAME': 29, '__start_star_0': 41, '_item': 52, 'const_decl': 37, 'declaration': 28, 'import_stmt': 1}),  # 7
    (7, {'$END': -80, 'CONST': -80, 'DROP': -80, 'IMPORT': -80, 'NAME': -80, 'OBJECTIVE': -80, 'RBRACE': -80, 'REQUIRE': -80, 'SEMICOLON': 121, 'VARY': -80, '_NL': 24}),  # 8
    (8, {'NAME': 66}),  # 9
    (9, {'STRING': 45}),  # 10
    (10, {'FALSE': 69, 'LPAR': 105, 'LSQB': 14, 'MINUS': 80, 'NAME': 64, 'NOT': 106, 'NUMBER': 67, 'STRING': 83, 'TRUE': 50, 'and_test': 99, 'atom': 124, 'comparison': 104, 'condition': 137, 'list': 109, 'product': 139, 'quantity': 53, 'ref': 57, 'sum': 102, 'unary': 145}),  # 11
    (11, {'$END': -82, 'CONST': -82, 'IMPORT': -82, 'NAME': -82}),  # 12
    (2, {'$END': -64, 'ADD_OP': -64, 'AND': -64, 'COMMA': -64, 'COMPARATOR': -64, 'MUL_OP': -64, 'OR': -64, 'RBRACE': -64, 'RPAR': -64, 'RSQB': -64, 'SEMICOLON': -64, '_NL': -64}),  # 13
    (12, {'FALSE': 69, 'LPAR': 105, 'LSQB': 14, 'MINUS': 80, 'NAME': 76, 'NUMBER': 67, 'RSQB': 84, 'STRING': 83, 'TRUE': 50, '_NL': 88, '__list_star_3': 58, '__list_star_4': 27, 'atom': 124, 'configured': 72, 'expr': 79, 'list': 109, 'product': 139, 'quantity': 53, 'ref': 57, 'sum': 115, 'unary': 145, 'value': 133}),  # 14
    (8, {'NAME': 140}),  # 15
    (13, {'$END': -66, 'ADD_OP': -66, 'AND': -66, 'COMMA': -66, 'COMPARATOR': -66, 'DOT': 142, 'FOR': -66, 'LBRACE': -66, 'MUL_OP': -66, 'OR': -66, 'RBRACE': -66, 'RPAR': -66, 'RSQB': -66, 'SEMICOLON': -66, '_NL': -66}),  # 16
    (2, {'$END': -56, 'ADD_OP': -56, 'AND': -56, 'COMMA': -56, 'COMPARATOR': -56, 'MUL_OP': -56, 'OR': -56, 'RBRACE': -56, 'RPAR': -56, 'RSQB': -56, 'SEMICOLON': -56, '_NL': -56}),  # 17
    (14, {'REQUIRE': 77}),  # 18
    (15, {'COMMA': 131, 'RSQB': 87, '_NL': 88, '__list_star_3': 63}),  # 19
    (2, {'$END': -52, 'ADD_OP': -52, 'AND': -52, 'COMMA': -52, 'COMPARATOR': -52, 'MUL_OP': 146, 'OR': -52, 'RBRACE': -52, 'RPAR': -52, 'RSQB': -52, 'SEMICOLON': -52, '_NL': -52}),  # 20
    (7, {'$END': -98, 'CONST': -98, 'DROP': -98, 'IMPORT': -98, 'NAME': -98, 'OBJECTIVE': -98, 'RBRACE': -98, 'REQUIRE': -98, 'SEMICOLON': -98, 'VARY': -98, '_NL': -98}),  # 21
    (8, {'NAME': 144}),  # 22
    (16, {'$END': -22, 'COMMA': -22, 'RBRACE': -22, 'RSQB': -22, 'SEMICOLON': -22, '_NL': -22}),  # 23
    (7, {'$END': -99, 'CONST': -99, 'DROP': -99, 'IMPORT': -99, 'NAME': -99, 'OBJECTIVE': -99, 'RBRACE': -99, 'REQUIRE': -99, 'SEMICOLON': -99, 'VARY': -99, '_NL': -99}),  # 24
    (17, {}),  # 25
    (18, {'RBRACE': -39, 'SEMICOLON': -39, '_NL': -39}),  # 26
    (3, {'FALSE': 69, 'LPAR': 105, 'LSQB': 14, 'MINUS': 80, 'NAME': 76, 'NUMBER': 67, 'RSQB': 126, 'STRING': 83, 'TRUE': 50, 'atom': 124, 'configured': 72, 'expr': 79, 'list': 109, 'product': 139, 'quantity': 53, 'ref': 57, 'sum': 115, 'unary': 145, 'value': 138}),  # 27
    (1, {'$END': -11, 'SEMICOLON': -11, '_NL': -11}),  # 28
    (8, {'NAME': 62}),  # 29
    (18, {'RBRACE': -31, 'SEMICOLON': -31, '_NL': -31}),  # 30
    (0, {'LBRACE': 82, 'block': 135}),  # 31
    (18, {'RBRACE': -29, 'SEMICOLON': -29, '_NL': -29}),  # 32
    (1, {'$END': -16, 'SEMICOLON': -16, '_NL': -16}),  # 33
    (19, {'NAME': 64, 'ref': 6}),  # 34
    (2, {'$END': -73, 'ADD_OP': -73, 'AND': -73, 'COMMA': -73, 'COMPARATOR': -73, 'MUL_OP': -73, 'OR': -73, 'RBRACE': -73, 'RPAR': -73, 'RSQB': -73, 'SEMICOLON': -73, '_NL': -73}),  # 35
    (18, {'RBRACE': -33, 'SEMICOLON': -33, '_NL': -33}),  # 36
    (1, {'$END': -10, 'SEMICOLON': -10, '_NL': -10}),  # 37
    (11, {'$END': -81, 'CONST': -81, 'IMPORT': -81, 'NAME': -81}),  # 38
    (20, {'COMMA': -88, 'FALSE': -88, 'LPAR': -88, 'LSQB': -88, 'MINUS': -88, 'NAME': -88, 'NUMBER': -88, 'RSQB': -88, 'STRING': -88, 'TRUE': -88, '_NL': -88}),  # 39
    (16, {'$END': -24, 'COMMA': -24, 'RBRACE': -24, 'RSQB': -24, 'SEMICOLON': -24, '_NL': -24}),  # 40
    (21, {'$END': -2, 'CONST': 22, 'IMPORT': 10, 'NAME': 29, '_item': 4, 'const_decl': 37, 'declaration': 28, 'import_stmt': 1}),  # 41
    (22, {'DROP': -84, 'NAME': -84, 'OBJECTIVE': -84, 'RBRACE': -84, 'REQUIRE': -84, 'VARY': -84}),  # 42
    (23, {'FALSE': 69, 'LPAR': 105, 'LSQB': 14, 'MINUS': 80, 'NAME': 76, 'NUMBER': 67, 'STRING': 83, 'TRUE': 50, 'atom': 124, 'configured': 72, 'expr': 79, 'list': 109, 'product': 139, 'quantity': 53, 'ref': 57, 'sum': 115, 'unary': 145, 'value': 55}),  # 43
    (24, {'AND': -49, 'OR': -49, 'RBRACE': -49, 'RPAR': -49, 'SEMICOLON': -49, '_NL': -49}),  # 44
    (1, {'$END': -12, 'SEMICOLON': -12, '_NL': -12}),  # 45
    (1, {'$END': -13, 'SEMICOLON': -13, '_NL': -13}),  # 46
    (25, {'RBRACE': 71, 'SEMICOLON': 21, '_NL': 61, '___sep_plus_5': 8, '_sep': 42}),  # 47
    (26, {'OR': 132, 'RBRACE': -37, 'SEMICOLON': -37, '_NL': -37}),  # 48
    (27, {'COMMA': 65, 'RSQB': 123, '_NL': 39}),  # 49
    (2, {'$END': -59, 'ADD_OP': -59, 'AND': -59, 'COMMA': -59, 'COMPARATOR': -59, 'MUL_OP': -59, 'OR': -59, 'RBRACE': -59, 'RPAR': -59, 'RSQB': -59, 'SEMICOLON': -59, '_NL': -59}),  # 50
    (16, {'$END': -21, 'COMMA': -21, 'RBRACE': -21, 'RSQB': -21, 'SEMICOLON': -21, '_NL': -21}),  # 51
    (4, {'$END': -3, 'SEMICOLON': 21, '_NL': 61, '___sep_plus_5': 8, '_sep': 38}),  # 52
    (2, {'$END': -57, 'ADD_OP': -57, 'AND': -57, 'COMMA': -57, 'COMPARATOR': -57, 'MUL_OP': -57, 'OR': -57, 'RBRACE': -57, 'RPAR': -57, 'RSQB': -57, 'SEMICOLON': -57, '_NL': -57}),  # 53
    (18, {'RBRACE': -32, 'SEMICOLON': -32, '_NL': -32}),  # 54
    (18, {'RBRACE': -34, 'SEMICOLON': -34, '_NL': -34}),  # 55
    (2, {'$END': -75, 'ADD_OP': -75, 'AND': -75, 'COMMA': -75, 'COMPARATOR': -75, 'MUL_OP': -75, 'OR': -75, 'RBRACE': -75, 'RPAR': -75, 'RSQB': -75, 'SEMICOLON': -75, '_NL': -75}),  # 56
    (2, {'$END': -61, 'ADD_OP': -61, 'AND': -61, 'COMMA': -61, 'COMPARATOR': -61, 'MUL_OP': -61, 'OR': -61, 'RBRACE': -61, 'RPAR': -61, 'RSQB': -61, 'SEMICOLON': -61, '_NL': -61}),  # 57
    (28, {'FALSE': 69, 'LPAR': 105, 'LSQB': 14, 'MINUS': 80, 'NAME': 76, 'NUMBER': 67, 'RSQB': 35, 'STRING': 83, 'TRUE': 50, '_NL': 39, '__list_star_4': 3, 'atom': 124, 'configured': 72, 'expr': 79, 'list': 109, 'product': 139, 'quantity': 53, 'ref': 57, 'sum': 115, 'unary': 145, 'value': 19}),  # 58
    (29, {'FALSE': -96, 'LPAR': -96, 'LSQB': -96, 'MINUS': -96, 'NAME': -96, 'NUMBER': -96, 'RSQB': -96, 'STRING': -96, 'TRUE': -96, '_NL': 88, '__list_star_3': 93}),  # 59
    (2, {'$END': -77, 'ADD_OP': -77, 'AND': -77, 'COMMA': -77, 'COMPARATOR': -77, 'MUL_OP': -77, 'OR': -77, 'RBRACE': -77, 'RPAR': -77, 'RSQB': -77, 'SEMICOLON': -77, '_NL': -77}),  # 60
    (7, {'$END': -97, 'CONST': -97, 'DROP': -97, 'IMPORT': -97, 'NAME': -97, 'OBJECTIVE': -97, 'RBRACE': -97, 'REQUIRE': -97, 'SEMICOLON': -97, 'VARY': -97, '_NL': -97}),  # 61
    (30, {'FOR': 9, 'FROM': 34, 'LBRACE': 82, 'base': 111, 'block': 5, 'target': 0}),  # 62
    (27, {'COMMA': 127, 'RSQB': 94, '_NL': 39}),  # 63
    (31, {'$END': -67, 'ADD_OP': -67, 'AND': -67, 'COMMA': -67, 'COMPARATOR': -67, 'DOT': 15, 'FOR': -67, 'LBRACE': -67, 'MUL_OP': -67, 'OR': -67, 'RBRACE': -67, 'RPAR': -67, 'RSQB': -67, 'SEMICOLON': -67, '_NL': -67, '__ref_star_2': 16}),  # 64
    (29, {'FALSE': -94, 'LPAR': -94, 'LSQB': -94, 'MINUS': -94, 'NAME': -94, 'NUMBER': -94, 'RSQB': -94, 'STRING': -94, 'TRUE': -94, '_NL': 88, '__list_star_3': 89}),  # 65
    (32, {'LBRACE': -19}),  # 66
    (33, {'$END': -65, 'ADD_OP': -65, 'AND': -65, 'COMMA': -65, 'COMPARATOR': -65, 'MUL_OP': -65, 'OR': -65, 'RBRACE': -65, 'RPAR': -65, 'RSQB': -65, 'SEMICOLON': -65, 'UNIT': 13, '_NL': -65}),  # 67
    (24, {'AND': -46, 'OR': -46, 'RBRACE': -46, 'RPAR': -46, 'SEMICOLON': -46, '_NL': -46}),  # 68
    (2, {'$END': -60, 'ADD_OP': -60, 'AND': -60, 'COMMA': -60, 'COMPARATOR': -60, 'MUL_OP': -60, 'OR': -60, 'RBRACE': -60, 'RPAR': -60, 'RSQB': -60, 'SEMICOLON': -60, '_NL': -60}),  # 69
    (34, {'ADD_OP': 151, 'AND': -48, 'OR': -48, 'RBRACE': -48, 'RPAR': -48, 'SEMICOLON': -48, '_NL': -48}),  # 70
    (16, {'$END': -20, 'COMMA': -20, 'RBRACE': -20, 'RSQB': -20, 'SEMICOLON': -20, '_NL': -20}),  # 71
    (35, {'COMMA': -41, 'RBRACE': -41, 'RSQB': -41, 'SEMICOLON': -41, '_NL': -41}),  # 72
    (36, {'FALSE': -91, 'LPAR': -91, 'LSQB': -91, 'MINUS': -91, 'NAME': -91, 'NUMBER': -91, 'RSQB': -91, 'STRING': -91, 'TRUE': -91, '_NL': 39}),  # 73
    (2, {'$END': -70, 'ADD_OP': -70, 'AND': -70, 'COMMA': -70, 'COMPARATOR': -70, 'MUL_OP': -70, 'OR': -70, 'RBRACE': -70, 'RPAR': -70, 'RSQB': -70, 'SEMICOLON': -70, '_NL': -70}),  # 74
    (15, {'COMMA': 59, 'RSQB': 96, '_NL': 88, '__list_star_3': 98}),  # 75
    (37, {'ADD_OP': -67, 'COMMA': -67, 'DOT': 15, 'LBRACE': 82, 'MUL_OP': -67, 'RBRACE': -67, 'RSQB': -67, 'SEMICOLON': -67, '_NL': -67, '__ref_star_2': 16, 'block': 149}),  # 76
    (10, {'FALSE': 69, 'LPAR': 105, 'LSQB': 14, 'MINUS': 80, 'NAME': 64, 'NOT': 106, 'NUMBER': 67, 'STRING': 83, 'TRUE': 50, 'and_test': 99, 'atom': 124, 'comparison': 104, 'condition': 48, 'list': 109, 'product': 139, 'quantity': 53, 'ref': 57, 'sum': 102, 'unary': 145}),  # 77
    (18, {'RBRACE': -38, 'SEMICOLON': -38, '_NL': -38}),  # 78
    (35, {'COMMA': -40, 'RBRACE': -40, 'RSQB': -40, 'SEMICOLON': -40, '_NL': -40}),  # 79
    (38, {'FALSE': 69, 'LPAR': 105, 'LSQB': 14, 'MINUS': 80, 'NAME': 64, 'NUMBER': 67, 'STRING': 83, 'TRUE': 50, 'atom': 124, 'list': 109, 'quantity': 53, 'ref': 57, 'unary': 17}),  # 80
    (24, {'AND': 107, 'OR': -44, 'RBRACE': -44, 'RPAR': -44, 'SEMICOLON': -44, '_NL': -44}),  # 81
    (39, {'DROP': 18, 'NAME': 128, 'OBJECTIVE': 118, 'RBRACE': 116, 'REQUIRE': 11, 'SEMICOLON': 21, 'VARY': 141, '_NL': 61, '___sep_plus_5': 8, '__block_star_1': 120, '_entry': 150, '_sep': 148, 'assignment': 152, 'drop_stmt': 30, 'objective': 36, 'require_stmt': 112, 'subblock': 32, 'vary_stmt': 54}),  # 82
    (2, {'$END': -58, 'ADD_OP': -58, 'AND': -58, 'COMMA': -58, 'COMPARATOR': -58, 'MUL_OP': -58, 'OR': -58, 'RBRACE': -58, 'RPAR': -58, 'RSQB': -58, 'SEMICOLON': -58, '_NL': -58}),  # 83
    (2, {'$END': -79, 'ADD_OP': -79, 'AND': -79, 'COMMA': -79, 'COMPARATOR': -79, 'MUL_OP': -79, 'OR': -79, 'RBRACE': -79, 'RPAR': -79, 'RSQB': -79, 'SEMICOLON': -79, '_NL': -79}),  # 84
    (36, {'FALSE': -89, 'LPAR': -89, 'LSQB': -89, 'MINUS': -89, 'NAME': -89, 'NUMBER': -89, 'RSQB': -89, 'STRING': -89, 'TRUE': -89, '_NL': 39}),  # 85
    (40, {'FALSE': 69, 'LPAR': 105, 'LSQB': 14, 'MINUS': 80, 'NAME': 64, 'NUMBER': 67, 'STRING': 83, 'TRUE': 50, 'atom': 124, 'expr': 78, 'list': 109, 'product': 139, 'quantity': 53, 'ref': 57, 'sum': 115, 'unary': 145}),  # 86
    (2, {'$END': -72, 'ADD_OP': -72, 'AND': -72, 'COMMA': -72, 'COMPARATOR': -72, 'MUL_OP': -72, 'OR': -72, 'RBRACE': -72, 'RPAR': -72, 'RSQB': -72, 'SEMICOLON': -72, '_NL': -72}),  # 87
    (20, {'COMMA': -87, 'FALSE': -87, 'LPAR': -87, 'LSQB': -87, 'MINUS': -87, 'NAME': -87, 'NUMBER': -87, 'RSQB': -87, 'STRING': -87, 'TRUE': -87, '_NL': -87}),  # 88
    (36, {'FALSE': -93, 'LPAR': -93, 'LSQB': -93, 'MINUS': -93, 'NAME': -93, 'NUMBER': -93, 'RSQB': -93, 'STRING': -93, 'TRUE': -93, '_NL': 39}),  # 89
    (2, {'$END': -63, 'ADD_OP': -63, 'AND': -63, 'COMMA': -63, 'COMPARATOR': -63, 'MUL_OP': -63, 'OR': -63, 'RBRACE': -63, 'RPAR': -63, 'RSQB': -63, 'SEMICOLON': -63, '_NL': -63}),  # 90
    (1, {'$END': -15, 'SEMICOLON': -15, '_NL': -15}),  # 91
    (41, {'IN': 86}),  # 92
    (36, {'FALSE': -95, 'LPAR': -95, 'LSQB': -95, 'MINUS': -95, 'NAME': -95, 'NUMBER': -95, 'RSQB': -95, 'STRING': -95, 'TRUE': -95, '_NL': 39}),  # 93
    (2, {'$END': -71, 'ADD_OP': -71, 'AND': -71, 'COMMA': -71, 'COMPARATOR': -71, 'MUL_OP': -71, 'OR': -71, 'RBRACE': -71, 'RPAR': -71, 'RSQB': -71, 'SEMICOLON': -71, '_NL': -71}),  # 94
    (18, {'RBRACE': -35, 'SEMICOLON': -35, '_NL': -35}),  # 95
    (2, {'$END': -69, 'ADD_OP': -69, 'AND': -69, 'COMMA': -69, 'COMPARATOR': -69, 'MUL_OP': -69, 'OR': -69, 'RBRACE': -69, 'RPAR': -69, 'RSQB': -69, 'SEMICOLON': -69, '_NL': -69}),  # 96
    (25, {'RBRACE': 40, 'SEMICOLON': 21, '_NL': 61, '___sep_plus_5': 8, '_sep': 42}),  # 97
    (27, {'COMMA': 65, 'RSQB': 100, '_NL': 39}),  # 98
    (24, {'AND': 107, 'OR': -43, 'RBRACE': -43, 'RPAR': -43, 'SEMICOLON': -43, '_NL': -43}),  # 99
    (2, {'$END': -68, 'ADD_OP': -68, 'AND': -68, 'COMMA': -68, 'COMPARATOR': -68, 'MUL_OP': -68, 'OR': -68, 'RBRACE': -68, 'RPAR': -68, 'RSQB': -68, 'SEMICOLON': -68, '_NL': -68}),  # 100
    (42, {'OR': 132, 'RPAR': 90}),  # 101
    (43, {'ADD_OP': 151, 'AND': -47, 'COMPARATOR': 143, 'OR': -47, 'RBRACE': -47, 'RPAR': -47, 'SEMICOLON': -47, '_NL': -47}),  # 102
    (44, {'$END': -8, 'CONST': 22, 'IMPORT': 10, 'NAME': 29, 'SEMICOLON': 21, '_NL': 61, '___sep_plus_5': 8, '__start_star_0': 147, '_item': 134, '_sep': 7, 'const_decl': 37, 'declaration': 28, 'import_stmt': 1, 'start': 25}),  # 103
    (24, {'AND': -45, 'OR': -45, 'RBRACE': -45, 'RPAR': -45, 'SEMICOLON': -45, '_NL': -45}),  # 104
    (10, {'FALSE': 69, 'LPAR': 105, 'LSQB': 14, 'MINUS': 80, 'NAME': 64, 'NOT': 106, 'NUMBER': 67, 'STRING': 83, 'TRUE': 50, 'and_test': 99, 'atom': 124, 'comparison': 104, 'condition': 101, 'list': 109, 'product': 139, 'quantity': 53, 'ref': 57, 'sum': 102, 'unary': 145}),  # 105
    (45, {'FALSE': 69, 'LPAR': 105, 'LSQB': 14, 'MINUS': 80, 'NAME': 64, 'NOT': 106, 'NUMBER': 67, 'STRING': 83, 'TRUE': 50, 'atom': 124, 'comparison': 44, 'list': 109, 'product': 139, 'quantity': 53, 'ref': 57, 'sum': 102, 'unary': 145}),  # 106
    (45, {'FALSE': 69, 'LPAR': 105, 'LSQB': 14, 'MINUS': 80, 'NAME': 64, 'NOT': 106, 'NUMBER': 67, 'STRING': 83, 'TRUE': 50, 'atom': 124, 'comparison': 68, 'list': 109, 'product': 139, 'quantity': 53, 'ref': 57, 'sum': 102, 'unary': 145}),  # 107
    (40, {'FALSE': 69, 'LPAR': 105, 'LSQB': 14, 'MINUS': 80, 'NAME': 64, 'NUMBER': 67, 'STRING': 83, 'TRUE': 50, 'atom': 124, 'expr': 46, 'list': 109, 'product': 139, 'quantity': 53, 'ref': 57, 'sum': 115, 'unary': 145}),  # 108
    (2, {'$END': -62, 'ADD_OP': -62, 'AND': -62, 'COMMA': -62, 'COMPARATOR': -62, 'MUL_OP': -62, 'OR': -62, 'RBRACE': -62, 'RPAR': -62, 'RSQB': -62, 'SEMICOLON': -62, '_NL': -62}),  # 109
    (16, {'$END': -25, 'COMMA': -25, 'RBRACE': -25, 'RSQB': -25, 'SEMICOLON': -25, '_NL': -25}),  # 110
    (46, {'FOR': 9, 'LBRACE': 82, 'block': 91, 'target': 31}),  # 111
    (18, {'RBRACE': -30, 'SEMICOLON': -30, '_NL': -30}),  # 112
    (13, {'$END': -86, 'ADD_OP': -86, 'AND': -86, 'COMMA': -86, 'COMPARATOR': -86, 'DOT': -86, 'FOR': -86, 'LBRACE': -86, 'MUL_OP': -86, 'OR': -86, 'RBRACE': -86, 'RPAR': -86, 'RSQB': -86, 'SEMICOLON': -86, '_NL': -86}),  # 113
    (27, {'COMMA': 127, 'RSQB': 60, '_NL': 39}),  # 114
    (47, {'$END': -50, 'ADD_OP': 151, 'COMMA': -50, 'RBRACE': -50, 'RSQB': -50, 'SEMICOLON': -50, '_NL': -50}),  # 115
    (16, {'$END': -27, 'COMMA': -27, 'RBRACE': -27, 'RSQB': -27, 'SEMICOLON': -27, '_NL': -27}),  # 116
    (16, {'$END': -23, 'COMMA': -23, 'RBRACE': -23, 'RSQB': -23, 'SEMICOLON': -23, '_NL': -23}),  # 117
    (8, {'NAME': 26}),  # 118
    (48, {'DROP': 18, 'NAME': 128, 'OBJECTIVE': 118, 'RBRACE': 51, 'REQUIRE': 11, 'VARY': 141, '_entry': 47, 'assignment': 152, 'drop_stmt': 30, 'objective': 36, 'require_stmt': 112, 'subblock': 32, 'vary_stmt': 54}),  # 119
    (48, {'DROP': 18, 'NAME': 128, 'OBJECTIVE': 118, 'RBRACE': 110, 'REQUIRE': 11, 'VARY': 141, '_entry': 97, 'assignment': 152, 'drop_stmt': 30, 'objective': 36, 'require_stmt': 112, 'subblock': 32, 'vary_stmt': 54}),  # 120
    (7, {'$END': -100, 'CONST': -100, 'DROP': -100, 'IMPORT': -100, 'NAME': -100, 'OBJECTIVE': -100, 'RBRACE': -100, 'REQUIRE': -100, 'SEMICOLON': -100, 'VARY': -100, '_NL': -100}),  # 121
    (2, {'$END': -54, 'ADD_OP': -54, 'AND': -54, 'COMMA': -54, 'COMPARATOR': -54, 'MUL_OP': -54, 'OR': -54, 'RBRACE': -54, 'RPAR': -54, 'RSQB': -54, 'SEMICOLON': -54, '_NL': -54}),  # 122
    (2, {'$END': -74, 'ADD_OP': -74, 'AND': -74, 'COMMA': -74, 'COMPARATOR': -74, 'MUL_OP': -74, 'OR': -74, 'RBRACE': -74, 'RPAR': -74, 'RSQB': -74, 'SEMICOLON': -74, '_NL': -74}),  # 123
    (2, {'$END': -55, 'ADD_OP': -55, 'AND': -55, 'COMMA': -55, 'COMPARATOR': -55, 'MUL_OP': -55, 'OR': -55, 'RBRACE': -55, 'RPAR': -55, 'RSQB': -55, 'SEMICOLON': -55, '_NL': -55}),  # 124
    (25, {'RBRACE': 23, 'SEMICOLON': 21, '_NL': 61, '___sep_plus_5': 8, '_sep': 129}),  # 125
    (2, {'$END': -76, 'ADD_OP': -76, 'AND': -76, 'COMMA': -76, 'COMPARATOR': -76, 'MUL_OP': -76, 'OR': -76, 'RBRACE': -76, 'RPAR': -76, 'RSQB': -76, 'SEMICOLON': -76, '_NL': -76}),  # 126
    (29, {'FALSE': -90, 'LPAR': -90, 'LSQB': -90, 'MINUS': -90, 'NAME': -90, 'NUMBER': -90, 'RSQB': -90, 'STRING': -90, 'TRUE': -90, '_NL': 88, '__list_star_3': 85}),  # 127
    (49, {'EQUAL': 43, 'LBRACE': 82, 'block': 95}),  # 128
    (22, {'DROP': -83, 'NAME': -83, 'OBJECTIVE': -83, 'RBRACE': -83, 'REQUIRE': -83, 'VARY': -83}),  # 129
    (16, {'$END': -26, 'COMMA': -26, 'RBRACE': -26, 'RSQB': -26, 'SEMICOLON': -26, '_NL': -26}),  # 130
    (29, {'FALSE': -92, 'LPAR': -92, 'LSQB': -92, 'MINUS': -92, 'NAME': -92, 'NUMBER': -92, 'RSQB': -92, 'STRING': -92, 'TRUE': -92, '_NL': 88, '__list_star_3': 73}),  # 131
    (50, {'FALSE': 69, 'LPAR': 105, 'LSQB': 14, 'MINUS': 80, 'NAME': 64, 'NOT': 106, 'NUMBER': 67, 'STRING': 83, 'TRUE': 50, 'and_test': 81, 'atom': 124, 'comparison': 104, 'list': 109, 'product': 139, 'quantity': 53, 'ref': 57, 'sum': 102, 'unary': 145}),  # 132
    (15, {'COMMA': 131, 'RSQB': 2, '_NL': 88, '__list_star_3': 114}),  # 133
    (4, {'$END': -7, 'SEMICOLON': 21, '_NL': 61, '___sep_plus_5': 8, '_sep': 38}),  # 134
    (1, {'$END': -14, 'SEMICOLON': -14, '_NL': -14}),  # 135
    (4, {'$END': -5, 'SEMICOLON': 21, '_NL': 61, '___sep_plus_5': 8, '_sep': 12}),  # 136
    (26, {'OR': 132, 'RBRACE': -36, 'SEMICOLON': -36, '_NL': -36}),  # 137
    (15, {'COMMA': 59, 'RSQB': 56, '_NL': 88, '__list_star_3': 49}),  # 138
    (2, {'$END': -51, 'ADD_OP': -51, 'AND': -51, 'COMMA': -51, 'COMPARATOR': -51, 'MUL_OP': 146, 'OR': -51, 'RBRACE': -51, 'RPAR': -51, 'RSQB': -51, 'SEMICOLON': -51, '_NL': -51}),  # 139
    (13, {'$END': -85, 'ADD_OP': -85, 'AND': -85, 'COMMA': -85, 'COMPARATOR': -85, 'DOT': -85, 'FOR': -85, 'LBRACE': -85, 'MUL_OP': -85, 'OR': -85, 'RBRACE': -85, 'RPAR': -85, 'RSQB': -85, 'SEMICOLON': -85, '_NL': -85}),  # 140
    (8, {'NAME': 92}),  # 141
    (8, {'NAME': 113}),  # 142
    (51, {'FALSE': 69, 'LPAR': 105, 'LSQB': 14, 'MINUS': 80, 'NAME': 64, 'NUMBER': 67, 'STRING': 83, 'TRUE': 50, 'atom': 124, 'list': 109, 'product': 139, 'quantity': 53, 'ref': 57, 'sum': 70, 'unary': 145}),  # 143
    (52, {'EQUAL': 108}),  # 144
    (2, {'$END': -53, 'ADD_OP': -53, 'AND': -53, 'COMMA': -53, 'COMPARATOR': -53, 'MUL_OP': -53, 'OR': -53, 'RBRACE': -53, 'RPAR': -53, 'RSQB': -53, 'SEMICOLON': -53, '_NL': -53}),  # 145
    (38, {'FALSE': 69, 'LPAR': 105, 'LSQB': 14, 'MINUS': 80, 'NAME': 64, 'NUMBER': 67, 'STRING': 83, 'TRUE': 50, 'atom': 124, 'list': 109, 'quantity': 53, 'ref': 57, 'unary': 122}),  # 146
    (21, {'$END': -6, 'CONST': 22, 'IMPORT': 10, 'NAME': 29, '_item': 136, 'const_decl': 37, 'declaration': 28, 'import_stmt': 1}),  # 147
    (53, {'DROP': 18, 'NAME': 128, 'OBJECTIVE': 118, 'RBRACE': 117, 'REQUIRE': 11, 'VARY': 141, '__block_star_1': 119, '_entry': 125, 'assignment': 152, 'drop_stmt': 30, 'objective': 36, 'require_stmt': 112, 'subblock': 32, 'vary_stmt': 54}),  # 148
    (35, {'COMMA': -42, 'RBRACE': -42, 'RSQB': -42, 'SEMICOLON': -42, '_NL': -42}),  # 149
    (25, {'RBRACE': 130, 'SEMICOLON': 21, '_NL': 61, '___sep_plus_5': 8, '_sep': 129}),  # 150
    (54, {'FALSE': 69, 'LPAR': 105, 'LSQB': 14, 'MINUS': 80, 'NAME': 64, 'NUMBER': 67, 'STRING': 83, 'TRUE': 50, 'atom': 124, 'list': 109, 'product': 20, 'quantity': 53, 'ref': 57, 'unary': 145}),  # 151
    (18, {'RBRACE': -28, 'SEMICOLON': -28, '_NL': -28}),  # 152
)
