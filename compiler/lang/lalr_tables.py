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
START_STATE = 0
END_STATE = 13
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
    (('NAME', 'COMMENT', '_NL', '__IGNORE_0', 'SEMICOLON'), {'NAME': {'const': 'CONST', 'import': 'IMPORT'}}),
    (('NAME', 'COMMENT', '__IGNORE_0'), {}),
    (('STRING', 'COMMENT', '__IGNORE_0'), {}),
    (('OBJECTIVE', 'NAME', 'COMMENT', '_NL', '__IGNORE_0', 'RBRACE', 'SEMICOLON'), {'NAME': {'const': 'CONST', 'drop': 'DROP', 'import': 'IMPORT', 'require': 'REQUIRE', 'vary': 'VARY'}}),
    (('NAME', 'COMMENT', '__IGNORE_0'), {'NAME': {'const': 'CONST', 'import': 'IMPORT'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'SEMICOLON'), {}),
    (('NAME', 'COMMENT', '__IGNORE_0'), {'NAME': {'const': 'CONST', 'import': 'IMPORT'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'SEMICOLON'), {}),
    (('COMMENT', '__IGNORE_0'), {}),
    (('COMMENT', '__IGNORE_0', 'EQUAL'), {}),
    (('COMMENT', '__IGNORE_0', 'FROM', 'FOR', 'LBRACE'), {}),
    (('NAME', 'COMMENT', '__IGNORE_0'), {'NAME': {'const': 'CONST', 'import': 'IMPORT'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('NAME', 'COMMENT', '__IGNORE_0'), {}),
    (('OBJECTIVE', 'NAME', 'COMMENT', '_NL', '__IGNORE_0', 'RBRACE', 'SEMICOLON'), {'NAME': {'drop': 'DROP', 'require': 'REQUIRE', 'vary': 'VARY'}}),
    (('COMMENT', '__IGNORE_0', 'FOR', 'LBRACE'), {}),
    (('COMMENT', '__IGNORE_0', 'LBRACE'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'AND', 'COMPARATOR', 'OR', 'ADD_OP', 'MUL_OP', 'COMMA', 'RBRACE', 'RPAR', 'RSQB', 'SEMICOLON'), {}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'not': 'NOT', 'true': 'TRUE'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '_NL', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS', 'RSQB'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'AND', 'FOR', 'COMPARATOR', 'OR', 'ADD_OP', 'MUL_OP', 'COMMA', 'DOT', 'LBRACE', 'RBRACE', 'RPAR', 'RSQB', 'SEMICOLON'), {}),
    (('UNIT', 'COMMENT', '_NL', '__IGNORE_0', 'COMPARATOR', 'ADD_OP', 'MUL_OP', 'COMMA', 'RBRACE', 'RPAR', 'RSQB', 'SEMICOLON'), {'UNIT': {'and': 'AND', 'or': 'OR'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'ADD_OP', 'COMMA', 'RBRACE', 'RSQB', 'SEMICOLON'), {}),
    (('COMMENT', '__IGNORE_0', 'LBRACE'), {}),
    (('COMMENT', '__IGNORE_0', 'FOR', 'LBRACE'), {}),
    (('COMMENT', '__IGNORE_0', 'REQUIRE'), {}),
    (('COMMENT', '__IGNORE_0', 'EQUAL', 'LBRACE'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'COMMA', 'RBRACE', 'RSQB', 'SEMICOLON'), {}),
    (('OBJECTIVE', 'NAME', 'COMMENT', '__IGNORE_0', 'RBRACE'), {'NAME': {'drop': 'DROP', 'require': 'REQUIRE', 'vary': 'VARY'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'RBRACE', 'SEMICOLON'), {}),
    (('OBJECTIVE', 'NAME', 'COMMENT', '__IGNORE_0', 'RBRACE'), {'NAME': {'drop': 'DROP', 'require': 'REQUIRE', 'vary': 'VARY'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'RBRACE', 'SEMICOLON'), {}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'not': 'NOT', 'true': 'TRUE'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'AND', 'OR', 'RBRACE', 'RPAR', 'SEMICOLON'), {}),
    (('COMMENT', '__IGNORE_0', 'OR', 'RPAR'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'AND', 'COMPARATOR', 'OR', 'ADD_OP', 'RBRACE', 'RPAR', 'SEMICOLON'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'ADD_OP', 'MUL_OP', 'COMMA', 'DOT', 'LBRACE', 'RBRACE', 'RSQB', 'SEMICOLON'), {}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '_NL', '__IGNORE_0', 'COMMA', 'LPAR', 'LSQB', 'MINUS', 'RSQB'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '_NL', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS', 'RSQB'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS', 'RSQB'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'COMMA', 'RBRACE', 'RSQB', 'SEMICOLON'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'COMMA', 'RSQB'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'AND', 'FOR', 'COMPARATOR', 'OR', 'ADD_OP', 'MUL_OP', 'COMMA', 'DOT', 'LBRACE', 'RBRACE', 'RPAR', 'RSQB', 'SEMICOLON'), {}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'OR', 'RBRACE', 'SEMICOLON'), {}),
    (('COMMENT', '__IGNORE_0', 'IN'), {}),
    (('OBJECTIVE', 'NAME', 'COMMENT', '__IGNORE_0', 'RBRACE'), {'NAME': {'drop': 'DROP', 'require': 'REQUIRE', 'vary': 'VARY'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'not': 'NOT', 'true': 'TRUE'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '_NL', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS', 'RSQB'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
    (('COMMENT', '_NL', '__IGNORE_0', 'COMMA', 'RSQB'), {}),
    (('COMMENT', '_NL', '__IGNORE_0', 'AND', 'OR', 'ADD_OP', 'RBRACE', 'RPAR', 'SEMICOLON'), {}),
    (('NUMBER', 'NAME', 'STRING', 'COMMENT', '_NL', '__IGNORE_0', 'LPAR', 'LSQB', 'MINUS', 'RSQB'), {'NAME': {'false': 'FALSE', 'true': 'TRUE'}}),
)

STATES = (
    (0, {'$END': -8, 'CONST': 1, 'IMPORT': 2, 'NAME': 3, 'SEMICOLON': 4, '_NL': 5, '___sep_plus_5': 6, '__start_star_0': 7, '_item': 8, '_sep': 9, 'const_decl': 10, 'declaration': 11, 'import_stmt': 12, 'start': 13}),  # 0
    (1, {'NAME': 14}),  # 1
    (2, {'STRING': 15}),  # 2
    (1, {'NAME': 16}),  # 3
    (3, {'$END': -98, 'CONST': -98, 'DROP': -98, 'IMPORT': -98, 'NAME': -98, 'OBJECTIVE': -98, 'RBRACE': -98, 'REQUIRE': -98, 'SEMICOLON': -98, 'VARY': -98, '_NL': -98}),  # 4
    (3, {'$END': -97, 'CONST': -97, 'DROP': -97, 'IMPORT': -97, 'NAME': -97, 'OBJECTIVE': -97, 'RBRACE': -97, 'REQUIRE': -97, 'SEMICOLON': -97, 'VARY': -97, '_NL': -97}),  # 5
    (3, {'$END': -80, 'CONST': -80, 'DROP': -80, 'IMPORT': -80, 'NAME': -80, 'OBJECTIVE': -80, 'RBRACE': -80, 'REQUIRE': -80, 'SEMICOLON': 17, 'VARY': -80, '_NL': 18}),  # 6
    (4, {'$END': -6, 'CONST': 1, 'IMPORT': 2, 'NAME': 3, '_item': 19, 'const_decl': 10, 'declaration': 11, 'import_stmt': 12}),  # 7
    (5, {'$END': -7, 'SEMICOLON': 4, '_NL': 5, '___sep_plus_5': 6, '_sep': 20}),  # 8
    (6, {'$END': -4, 'CONST': 1, 'IMPORT': 2, 'NAME': 3, '__start_star_0': 21, '_item': 22, 'const_decl': 10, 'declaration': 11, 'import_stmt': 12}),  # 9
    (7, {'$END': -10, 'SEMICOLON': -10, '_NL': -10}),  # 10
    (7, {'$END': -11, 'SEMICOLON': -11, '_NL': -11}),  # 11
    (7, {'$END': -9, 'SEMICOLON': -9, '_NL': -9}),  # 12
    (8, {}),  # 13
    (9, {'EQUAL': 23}),  # 14
    (7, {'$END': -12, 'SEMICOLON': -12, '_NL': -12}),  # 15
    (10, {'FOR': 24, 'FROM': 25, 'LBRACE': 26, 'base': 27, 'block': 28, 'target': 29}),  # 16
    (3, {'$END': -100, 'CONST': -100, 'DROP': -100, 'IMPORT': -100, 'NAME': -100, 'OBJECTIVE': -100, 'RBRACE': -100, 'REQUIRE': -100, 'SEMICOLON': -100, 'VARY': -100, '_NL': -100}),  # 17
    (3, {'$END': -99, 'CONST': -99, 'DROP': -99, 'IMPORT': -99, 'NAME': -99, 'OBJECTIVE': -99, 'RBRACE': -99, 'REQUIRE': -99, 'SEMICOLON': -99, 'VARY': -99, '_NL': -99}),  # 18
    (5, {'$END': -5, 'SEMICOLON': 4, '_NL': 5, '___sep_plus_5': 6, '_sep': 30}),  # 19
    (11, {'$END': -81, 'CONST': -81, 'IMPORT': -81, 'NAME': -81}),  # 20
    (4, {'$END': -2, 'CONST': 1, 'IMPORT': 2, 'NAME': 3, '_item': 31, 'const_decl': 10, 'declaration': 11, 'import_stmt': 12}),  # 21
    (5, {'$END': -3, 'SEMICOLON': 4, '_NL': 5, '___sep_plus_5': 6, '_sep': 20}),  # 22
    (12, {'FALSE': 32, 'LPAR': 33, 'LSQB': 34, 'MINUS': 35, 'NAME': 36, 'NUMBER': 37, 'STRING': 38, 'TRUE': 39, 'atom': 40, 'expr': 41, 'list': 42, 'product': 43, 'quantity': 44, 'ref': 45, 'sum': 46, 'unary': 47}),  # 23
    (1, {'NAME': 48}),  # 24
    (13, {'NAME': 36, 'ref': 49}),  # 25
    (14, {'DROP': 50, 'NAME': 51, 'OBJECTIVE': 52, 'RBRACE': 53, 'REQUIRE': 54, 'SEMICOLON': 4, 'VARY': 55, '_NL': 5, '___sep_plus_5': 6, '__block_star_1': 56, '_entry': 57, '_sep': 58, 'assignment': 59, 'drop_stmt': 60, 'objective': 61, 'require_stmt': 62, 'subblock': 63, 'vary_stmt': 64}),  # 26
    (15, {'FOR': 24, 'LBRACE': 26, 'block': 65, 'target': 66}),  # 27
    (7, {'$END': -17, 'SEMICOLON': -17, '_NL': -17}),  # 28
    (16, {'LBRACE': 26, 'block': 67}),  # 29
    (11, {'$END': -82, 'CONST': -82, 'IMPORT': -82, 'NAME': -82}),  # 30
    (5, {'$END': -1, 'SEMICOLON': 4, '_NL': 5, '___sep_plus_5': 6, '_sep': 30}),  # 31
    (17, {'$END': -60, 'ADD_OP': -60, 'AND': -60, 'COMMA': -60, 'COMPARATOR': -60, 'MUL_OP': -60, 'OR': -60, 'RBRACE': -60, 'RPAR': -60, 'RSQB': -60, 'SEMICOLON': -60, '_NL': -60}),  # 32
    (18, {'FALSE': 32, 'LPAR': 33, 'LSQB': 34, 'MINUS': 35, 'NAME': 36, 'NOT': 68, 'NUMBER': 37, 'STRING': 38, 'TRUE': 39, 'and_test': 69, 'atom': 40, 'comparison': 70, 'condition': 71, 'list': 42, 'product': 43, 'quantity': 44, 'ref': 45, 'sum': 72, 'unary': 47}),  # 33
    (19, {'FALSE': 32, 'LPAR': 33, 'LSQB': 34, 'MINUS': 35, 'NAME': 73, 'NUMBER': 37, 'RSQB': 74, 'STRING': 38, 'TRUE': 39, '_NL': 75, '__list_star_3': 76, '__list_star_4': 77, 'atom': 40, 'configured': 78, 'expr': 79, 'list': 42, 'product': 43, 'quantity': 44, 'ref': 45, 'sum': 46, 'unary': 47, 'value': 80}),  # 34
    (20, {'FALSE': 32, 'LPAR': 33, 'LSQB': 34, 'MINUS': 35, 'NAME': 36, 'NUMBER': 37, 'STRING': 38, 'TRUE': 39, 'atom': 40, 'list': 42, 'quantity': 44, 'ref': 45, 'unary': 81}),  # 35
    (21, {'$END': -67, 'ADD_OP': -67, 'AND': -67, 'COMMA': -67, 'COMPARATOR': -67, 'DOT': 82, 'FOR': -67, 'LBRACE': -67, 'MUL_OP': -67, 'OR': -67, 'RBRACE': -67, 'RPAR': -67, 'RSQB': -67, 'SEMICOLON': -67, '_NL': -67, '__ref_star_2': 83}),  # 36
    (22, {'$END': -65, 'ADD_OP': -65, 'AND': -65, 'COMMA': -65, 'COMPARATOR': -65, 'MUL_OP': -65, 'OR': -65, 'RBRACE': -65, 'RPAR': -65, 'RSQB': -65, 'SEMICOLON': -65, 'UNIT': 84, '_NL': -65}),  # 37
    (17, {'$END': -58, 'ADD_OP': -58, 'AND': -58, 'COMMA': -58, 'COMPARATOR': -58, 'MUL_OP': -58, 'OR': -58, 'RBRACE': -58, 'RPAR': -58, 'RSQB': -58, 'SEMICOLON': -58, '_NL': -58}),  # 38
    (17, {'$END': -59, 'ADD_OP': -59, 'AND': -59, 'COMMA': -59, 'COMPARATOR': -59, 'MUL_OP': -59, 'OR': -59, 'RBRACE': -59, 'RPAR': -59, 'RSQB': -59, 'SEMICOLON': -59, '_NL': -59}),  # 39
    (17, {'$END': -55, 'ADD_OP': -55, 'AND': -55, 'COMMA': -55, 'COMPARATOR': -55, 'MUL_OP': -55, 'OR': -55, 'RBRACE': -55, 'RPAR': -55, 'RSQB': -55, 'SEMICOLON': -55, '_NL': -55}),  # 40
    (7, {'$END': -13, 'SEMICOLON': -13, '_NL': -13}),  # 41
    (17, {'$END': -62, 'ADD_OP': -62, 'AND': -62, 'COMMA': -62, 'COMPARATOR': -62, 'MUL_OP': -62, 'OR': -62, 'RBRACE': -62, 'RPAR': -62, 'RSQB': -62, 'SEMICOLON': -62, '_NL': -62}),  # 42
    (17, {'$END': -51, 'ADD_OP': -51, 'AND': -51, 'COMMA': -51, 'COMPARATOR': -51, 'MUL_OP': 85, 'OR': -51, 'RBRACE': -51, 'RPAR': -51, 'RSQB': -51, 'SEMICOLON': -51, '_NL': -51}),  # 43
    (17, {'$END': -57, 'ADD_OP': -57, 'AND': -57, 'COMMA': -57, 'COMPARATOR': -57, 'MUL_OP': -57, 'OR': -57, 'RBRACE': -57, 'RPAR': -57, 'RSQB': -57, 'SEMICOLON': -57, '_NL': -57}),  # 44
    (17, {'$END': -61, 'ADD_OP': -61, 'AND': -61, 'COMMA': -61, 'COMPARATOR': -61, 'MUL_OP': -61, 'OR': -61, 'RBRACE': -61, 'RPAR': -61, 'RSQB': -61, 'SEMICOLON': -61, '_NL': -61}),  # 45
    (23, {'$END': -50, 'ADD_OP': 86, 'COMMA': -50, 'RBRACE': -50, 'RSQB': -50, 'SEMICOLON': -50, '_NL': -50}),  # 46
    (17, {'$END': -53, 'ADD_OP': -53, 'AND': -53, 'COMMA': -53, 'COMPARATOR': -53, 'MUL_OP': -53, 'OR': -53, 'RBRACE': -53, 'RPAR': -53, 'RSQB': -53, 'SEMICOLON': -53, '_NL': -53}),  # 47
    (24, {'LBRACE': -19}),  # 48
    (25, {'FOR': -18, 'LBRACE': -18}),  # 49
    (26, {'REQUIRE': 87}),  # 50
    (27, {'EQUAL': 88, 'LBRACE': 26, 'block': 89}),  # 51
    (1, {'NAME': 90}),  # 52
    (28, {'$END': -27, 'COMMA': -27, 'RBRACE': -27, 'RSQB': -27, 'SEMICOLON': -27, '_NL': -27}),  # 53
    (18, {'FALSE': 32, 'LPAR': 33, 'LSQB': 34, 'MINUS': 35, 'NAME': 36, 'NOT': 68, 'NUMBER': 37, 'STRING': 38, 'TRUE': 39, 'and_test': 69, 'atom': 40, 'comparison': 70, 'condition': 91, 'list': 42, 'product': 43, 'quantity': 44, 'ref': 45, 'sum': 72, 'unary': 47}),  # 54
    (1, {'NAME': 92}),  # 55
    (29, {'DROP': 50, 'NAME': 51, 'OBJECTIVE': 52, 'RBRACE': 93, 'REQUIRE': 54, 'VARY': 55, '_entry': 94, 'assignment': 59, 'drop_stmt': 60, 'objective': 61, 'require_stmt': 62, 'subblock': 63, 'vary_stmt': 64}),  # 56
    (30, {'RBRACE': 95, 'SEMICOLON': 4, '_NL': 5, '___sep_plus_5': 6, '_sep': 96}),  # 57
    (31, {'DROP': 50, 'NAME': 51, 'OBJECTIVE': 52, 'RBRACE': 97, 'REQUIRE': 54, 'VARY': 55, '__block_star_1': 98, '_entry': 99, 'assignment': 59, 'drop_stmt': 60, 'objective': 61, 'require_stmt': 62, 'subblock': 63, 'vary_stmt': 64}),  # 58
    (32, {'RBRACE': -28, 'SEMICOLON': -28, '_NL': -28}),  # 59
    (32, {'RBRACE': -31, 'SEMICOLON': -31, '_NL': -31}),  # 60
    (32, {'RBRACE': -33, 'SEMICOLON': -33, '_NL': -33}),  # 61
    (32, {'RBRACE': -30, 'SEMICOLON': -30, '_NL': -30}),  # 62
    (32, {'RBRACE': -29, 'SEMICOLON': -29, '_NL': -29}),  # 63
    (32, {'RBRACE': -32, 'SEMICOLON': -32, '_NL': -32}),  # 64
    (7, {'$END': -15, 'SEMICOLON': -15, '_NL': -15}),  # 65
    (16, {'LBRACE': 26, 'block': 100}),  # 66
    (7, {'$END': -16, 'SEMICOLON': -16, '_NL': -16}),  # 67
    (33, {'FALSE': 32, 'LPAR': 33, 'LSQB': 34, 'MINUS': 35, 'NAME': 36, 'NOT': 68, 'NUMBER': 37, 'STRING': 38, 'TRUE': 39, 'atom': 40, 'comparison': 101, 'list': 42, 'product': 43, 'quantity': 44, 'ref': 45, 'sum': 72, 'unary': 47}),  # 68
    (34, {'AND': 102, 'OR': -43, 'RBRACE': -43, 'RPAR': -43, 'SEMICOLON': -43, '_NL': -43}),  # 69
    (34, {'AND': -45, 'OR': -45, 'RBRACE': -45, 'RPAR': -45, 'SEMICOLON': -45, '_NL': -45}),  # 70
    (35, {'OR': 103, 'RPAR': 104}),  # 71
    (36, {'ADD_OP': 86, 'AND': -47, 'COMPARATOR': 105, 'OR': -47, 'RBRACE': -47, 'RPAR': -47, 'SEMICOLON': -47, '_NL': -47}),  # 72
    (37, {'ADD_OP': -67, 'COMMA': -67, 'DOT': 82, 'LBRACE': 26, 'MUL_OP': -67, 'RBRACE': -67, 'RSQB': -67, 'SEMICOLON': -67, '_NL': -67, '__ref_star_2': 83, 'block': 106}),  # 73
    (17, {'$END': -79, 'ADD_OP': -79, 'AND': -79, 'COMMA': -79, 'COMPARATOR': -79, 'MUL_OP': -79, 'OR': -79, 'RBRACE': -79, 'RPAR': -79, 'RSQB': -79, 'SEMICOLON': -79, '_NL': -79}),  # 74
    (38, {'COMMA': -87, 'FALSE': -87, 'LPAR': -87, 'LSQB': -87, 'MINUS': -87, 'NAME': -87, 'NUMBER': -87, 'RSQB': -87, 'STRING': -87, 'TRUE': -87, '_NL': -87}),  # 75
    (39, {'FALSE': 32, 'LPAR': 33, 'LSQB': 34, 'MINUS': 35, 'NAME': 73, 'NUMBER': 37, 'RSQB': 107, 'STRING': 38, 'TRUE': 39, '_NL': 108, '__list_star_4': 109, 'atom': 40, 'configured': 78, 'expr': 79, 'list': 42, 'product': 43, 'quantity': 44, 'ref': 45, 'sum': 46, 'unary': 47, 'value': 110}),  # 76
    (40, {'FALSE': 32, 'LPAR': 33, 'LSQB': 34, 'MINUS': 35, 'NAME': 73, 'NUMBER': 37, 'RSQB': 111, 'STRING': 38, 'TRUE': 39, 'atom': 40, 'configured': 78, 'expr': 79, 'list': 42, 'product': 43, 'quantity': 44, 'ref': 45, 'sum': 46, 'unary': 47, 'value': 112}),  # 77
    (41, {'COMMA': -41, 'RBRACE': -41, 'RSQB': -41, 'SEMICOLON': -41, '_NL': -41}),  # 78
    (41, {'COMMA': -40, 'RBRACE': -40, 'RSQB': -40, 'SEMICOLON': -40, '_NL': -40}),  # 79
    (42, {'COMMA': 113, 'RSQB': 114, '_NL': 75, '__list_star_3': 115}),  # 80
    (17, {'$END': -56, 'ADD_OP': -56, 'AND': -56, 'COMMA': -56, 'COMPARATOR': -56, 'MUL_OP': -56, 'OR': -56, 'RBRACE': -56, 'RPAR': -56, 'RSQB': -56, 'SEMICOLON': -56, '_NL': -56}),  # 81
    (1, {'NAME': 116}),  # 82
    (43, {'$END': -66, 'ADD_OP': -66, 'AND': -66, 'COMMA': -66, 'COMPARATOR': -66, 'DOT': 117, 'FOR': -66, 'LBRACE': -66, 'MUL_OP': -66, 'OR': -66, 'RBRACE': -66, 'RPAR': -66, 'RSQB': -66, 'SEMICOLON': -66, '_NL': -66}),  # 83
    (17, {'$END': -64, 'ADD_OP': -64, 'AND': -64, 'COMMA': -64, 'COMPARATOR': -64, 'MUL_OP': -64, 'OR': -64, 'RBRACE': -64, 'RPAR': -64, 'RSQB': -64, 'SEMICOLON': -64, '_NL': -64}),  # 84
    (20, {'FALSE': 32, 'LPAR': 33, 'LSQB': 34, 'MINUS': 35, 'NAME': 36, 'NUMBER': 37, 'STRING': 38, 'TRUE': 39, 'atom': 40, 'list': 42, 'quantity': 44, 'ref': 45, 'unary': 118}),  # 85
    (44, {'FALSE': 32, 'LPAR': 33, 'LSQB': 34, 'MINUS': 35, 'NAME': 36, 'NUMBER': 37, 'STRING': 38, 'TRUE': 39, 'atom': 40, 'list': 42, 'product': 119, 'quantity': 44, 'ref': 45, 'unary': 47}),  # 86
    (18, {'FALSE': 32, 'LPAR': 33, 'LSQB': 34, 'MINUS': 35, 'NAME': 36, 'NOT': 68, 'NUMBER': 37, 'STRING': 38, 'TRUE': 39, 'and_test': 69, 'atom': 40, 'comparison': 70, 'condition': 120, 'list': 42, 'product': 43, 'quantity': 44, 'ref': 45, 'sum': 72, 'unary': 47}),  # 87
    (45, {'FALSE': 32, 'LPAR': 33, 'LSQB': 34, 'MINUS': 35, 'NAME': 73, 'NUMBER': 37, 'STRING': 38, 'TRUE': 39, 'atom': 40, 'configured': 78, 'expr': 79, 'list': 42, 'product': 43, 'quantity': 44, 'ref': 45, 'sum': 46, 'unary': 47, 'value': 121}),  # 88
    (32, {'RBRACE': -35, 'SEMICOLON': -35, '_NL': -35}),  # 89
    (32, {'RBRACE': -39, 'SEMICOLON': -39, '_NL': -39}),  # 90
    (46, {'OR': 103, 'RBRACE': -36, 'SEMICOLON': -36, '_NL': -36}),  # 91
    (47, {'IN': 122}),  # 92
    (28, {'$END': -25, 'COMMA': -25, 'RBRACE': -25, 'RSQB': -25, 'SEMICOLON': -25, '_NL': -25}),  # 93
    (30, {'RBRACE': 123, 'SEMICOLON': 4, '_NL': 5, '___sep_plus_5': 6, '_sep': 124}),  # 94
    (28, {'$END': -26, 'COMMA': -26, 'RBRACE': -26, 'RSQB': -26, 'SEMICOLON': -26, '_NL': -26}),  # 95
    (48, {'DROP': -83, 'NAME': -83, 'OBJECTIVE': -83, 'RBRACE': -83, 'REQUIRE': -83, 'VARY': -83}),  # 96
    (28, {'$END': -23, 'COMMA': -23, 'RBRACE': -23, 'RSQB': -23, 'SEMICOLON': -23, '_NL': -23}),  # 97
    (29, {'DROP': 50, 'NAME': 51, 'OBJECTIVE': 52, 'RBRACE': 125, 'REQUIRE': 54, 'VARY': 55, '_entry': 126, 'assignment': 59, 'drop_stmt': 60, 'objective': 61, 'require_stmt': 62, 'subblock': 63, 'vary_stmt': 64}),  # 98
    (30, {'RBRACE': 127, 'SEMICOLON': 4, '_NL': 5, '___sep_plus_5': 6, '_sep': 96}),  # 99
    (7, {'$END': -14, 'SEMICOLON': -14, '_NL': -14}),  # 100
    (34, {'AND': -49, 'OR': -49, 'RBRACE': -49, 'RPAR': -49, 'SEMICOLON': -49, '_NL': -49}),  # 101
    (33, {'FALSE': 32, 'LPAR': 33, 'LSQB': 34, 'MINUS': 35, 'NAME': 36, 'NOT': 68, 'NUMBER': 37, 'STRING': 38, 'TRUE': 39, 'atom': 40, 'comparison': 128, 'list': 42, 'product': 43, 'quantity': 44, 'ref': 45, 'sum': 72, 'unary': 47}),  # 102
    (49, {'FALSE': 32, 'LPAR': 33, 'LSQB': 34, 'MINUS': 35, 'NAME': 36, 'NOT': 68, 'NUMBER': 37, 'STRING': 38, 'TRUE': 39, 'and_test': 129, 'atom': 40, 'comparison': 70, 'list': 42, 'product': 43, 'quantity': 44, 'ref': 45, 'sum': 72, 'unary': 47}),  # 103
    (17, {'$END': -63, 'ADD_OP': -63, 'AND': -63, 'COMMA': -63, 'COMPARATOR': -63, 'MUL_OP': -63, 'OR': -63, 'RBRACE': -63, 'RPAR': -63, 'RSQB': -63, 'SEMICOLON': -63, '_NL': -63}),  # 104
    (50, {'FALSE': 32, 'LPAR': 33, 'LSQB': 34, 'MINUS': 35, 'NAME': 36, 'NUMBER': 37, 'STRING': 38, 'TRUE': 39, 'atom': 40, 'list': 42, 'product': 43, 'quantity': 44, 'ref': 45, 'sum': 130, 'unary': 47}),  # 105
    (41, {'COMMA': -42, 'RBRACE': -42, 'RSQB': -42, 'SEMICOLON': -42, '_NL': -42}),  # 106
    (17, {'$END': -73, 'ADD_OP': -73, 'AND': -73, 'COMMA': -73, 'COMPARATOR': -73, 'MUL_OP': -73, 'OR': -73, 'RBRACE': -73, 'RPAR': -73, 'RSQB': -73, 'SEMICOLON': -73, '_NL': -73}),  # 107
    (38, {'COMMA': -88, 'FALSE': -88, 'LPAR': -88, 'LSQB': -88, 'MINUS': -88, 'NAME': -88, 'NUMBER': -88, 'RSQB': -88, 'STRING': -88, 'TRUE': -88, '_NL': -88}),  # 108
    (40, {'FALSE': 32, 'LPAR': 33, 'LSQB': 34, 'MINUS': 35, 'NAME': 73, 'NUMBER': 37, 'RSQB': 131, 'STRING': 38, 'TRUE': 39, 'atom': 40, 'configured': 78, 'expr': 79, 'list': 42, 'product': 43, 'quantity': 44, 'ref': 45, 'sum': 46, 'unary': 47, 'value': 132}),  # 109
    (42, {'COMMA': 113, 'RSQB': 133, '_NL': 75, '__list_star_3': 134}),  # 110
    (17, {'$END': -76, 'ADD_OP': -76, 'AND': -76, 'COMMA': -76, 'COMPARATOR': -76, 'MUL_OP': -76, 'OR': -76, 'RBRACE': -76, 'RPAR': -76, 'RSQB': -76, 'SEMICOLON': -76, '_NL': -76}),  # 111
    (42, {'COMMA': 135, 'RSQB': 136, '_NL': 75, '__list_star_3': 137}),  # 112
    (51, {'FALSE': -92, 'LPAR': -92, 'LSQB': -92, 'MINUS': -92, 'NAME': -92, 'NUMBER': -92, 'RSQB': -92, 'STRING': -92, 'TRUE': -92, '_NL': 75, '__list_star_3': 138}),  # 113
    (17, {'$END': -78, 'ADD_OP': -78, 'AND': -78, 'COMMA': -78, 'COMPARATOR': -78, 'MUL_OP': -78, 'OR': -78, 'RBRACE': -78, 'RPAR': -78, 'RSQB': -78, 'SEMICOLON': -78, '_NL': -78}),  # 114
    (52, {'COMMA': 139, 'RSQB': 140, '_NL': 108}),  # 115
    (43, {'$END': -85, 'ADD_OP': -85, 'AND': -85, 'COMMA': -85, 'COMPARATOR': -85, 'DOT': -85, 'FOR': -85, 'LBRACE': -85, 'MUL_OP': -85, 'OR': -85, 'RBRACE': -85, 'RPAR': -85, 'RSQB': -85, 'SEMICOLON': -85, '_NL': -85}),  # 116
    (1, {'NAME': 141}),  # 117
    (17, {'$END': -54, 'ADD_OP': -54, 'AND': -54, 'COMMA': -54, 'COMPARATOR': -54, 'MUL_OP': -54, 'OR': -54, 'RBRACE': -54, 'RPAR': -54, 'RSQB': -54, 'SEMICOLON': -54, '_NL': -54}),  # 118
    (17, {'$END': -52, 'ADD_OP': -52, 'AND': -52, 'COMMA': -52, 'COMPARATOR': -52, 'MUL_OP': 85, 'OR': -52, 'RBRACE': -52, 'RPAR': -52, 'RSQB': -52, 'SEMICOLON': -52, '_NL': -52}),  # 119
    (46, {'OR': 103, 'RBRACE': -37, 'SEMICOLON': -37, '_NL': -37}),  # 120
    (32, {'RBRACE': -34, 'SEMICOLON': -34, '_NL': -34}),  # 121
    (12, {'FALSE': 32, 'LPAR': 33, 'LSQB': 34, 'MINUS': 35, 'NAME': 36, 'NUMBER': 37, 'STRING': 38, 'TRUE': 39, 'atom': 40, 'expr': 142, 'list': 42, 'product': 43, 'quantity': 44, 'ref': 45, 'sum': 46, 'unary': 47}),  # 122
    (28, {'$END': -24, 'COMMA': -24, 'RBRACE': -24, 'RSQB': -24, 'SEMICOLON': -24, '_NL': -24}),  # 123
    (48, {'DROP': -84, 'NAME': -84, 'OBJECTIVE': -84, 'RBRACE': -84, 'REQUIRE': -84, 'VARY': -84}),  # 124
    (28, {'$END': -21, 'COMMA': -21, 'RBRACE': -21, 'RSQB': -21, 'SEMICOLON': -21, '_NL': -21}),  # 125
    (30, {'RBRACE': 143, 'SEMICOLON': 4, '_NL': 5, '___sep_plus_5': 6, '_sep': 124}),  # 126
    (28, {'$END': -22, 'COMMA': -22, 'RBRACE': -22, 'RSQB': -22, 'SEMICOLON': -22, '_NL': -22}),  # 127
    (34, {'AND': -46, 'OR': -46, 'RBRACE': -46, 'RPAR': -46, 'SEMICOLON': -46, '_NL': -46}),  # 128
    (34, {'AND': 102, 'OR': -44, 'RBRACE': -44, 'RPAR': -44, 'SEMICOLON': -44, '_NL': -44}),  # 129
    (53, {'ADD_OP': 86, 'AND': -48, 'OR': -48, 'RBRACE': -48, 'RPAR': -48, 'SEMICOLON': -48, '_NL': -48}),  # 130
    (17, {'$END': -70, 'ADD_OP': -70, 'AND': -70, 'COMMA': -70, 'COMPARATOR': -70, 'MUL_OP': -70, 'OR': -70, 'RBRACE': -70, 'RPAR': -70, 'RSQB': -70, 'SEMICOLON': -70, '_NL': -70}),  # 131
    (42, {'COMMA': 135, 'RSQB': 144, '_NL': 75, '__list_star_3': 145}),  # 132
    (17, {'$END': -72, 'ADD_OP': -72, 'AND': -72, 'COMMA': -72, 'COMPARATOR': -72, 'MUL_OP': -72, 'OR': -72, 'RBRACE': -72, 'RPAR': -72, 'RSQB': -72, 'SEMICOLON': -72, '_NL': -72}),  # 133
    (52, {'COMMA': 139, 'RSQB': 146, '_NL': 108}),  # 134
    (51, {'FALSE': -96, 'LPAR': -96, 'LSQB': -96, 'MINUS': -96, 'NAME': -96, 'NUMBER': -96, 'RSQB': -96, 'STRING': -96, 'TRUE': -96, '_NL': 75, '__list_star_3': 147}),  # 135
    (17, {'$END': -75, 'ADD_OP': -75, 'AND': -75, 'COMMA': -75, 'COMPARATOR': -75, 'MUL_OP': -75, 'OR': -75, 'RBRACE': -75, 'RPAR': -75, 'RSQB': -75, 'SEMICOLON': -75, '_NL': -75}),  # 136
    (52, {'COMMA': 148, 'RSQB': 149, '_NL': 108}),  # 137
    (54, {'FALSE': -91, 'LPAR': -91, 'LSQB': -91, 'MINUS': -91, 'NAME': -91, 'NUMBER': -91, 'RSQB': -91, 'STRING': -91, 'TRUE': -91, '_NL': 108}),  # 138
    (51, {'FALSE': -90, 'LPAR': -90, 'LSQB': -90, 'MINUS': -90, 'NAME': -90, 'NUMBER': -90, 'RSQB': -90, 'STRING': -90, 'TRUE': -90, '_NL': 75, '__list_star_3': 150}),  # 139
    (17, {'$END': -77, 'ADD_OP': -77, 'AND': -77, 'COMMA': -77, 'COMPARATOR': -77, 'MUL_OP': -77, 'OR': -77, 'RBRACE': -77, 'RPAR': -77, 'RSQB': -77, 'SEMICOLON': -77, '_NL': -77}),  # 140
    (43, {'$END': -86, 'ADD_OP': -86, 'AND': -86, 'COMMA': -86, 'COMPARATOR': -86, 'DOT': -86, 'FOR': -86, 'LBRACE': -86, 'MUL_OP': -86, 'OR': -86, 'RBRACE': -86, 'RPAR': -86, 'RSQB': -86, 'SEMICOLON': -86, '_NL': -86}),  # 141
    (32, {'RBRACE': -38, 'SEMICOLON': -38, '_NL': -38}),  # 142
    (28, {'$END': -20, 'COMMA': -20, 'RBRACE': -20, 'RSQB': -20, 'SEMICOLON': -20, '_NL': -20}),  # 143
    (17, {'$END': -69, 'ADD_OP': -69, 'AND': -69, 'COMMA': -69, 'COMPARATOR': -69, 'MUL_OP': -69, 'OR': -69, 'RBRACE': -69, 'RPAR': -69, 'RSQB': -69, 'SEMICOLON': -69, '_NL': -69}),  # 144
    (52, {'COMMA': 148, 'RSQB': 151, '_NL': 108}),  # 145
    (17, {'$END': -71, 'ADD_OP': -71, 'AND': -71, 'COMMA': -71, 'COMPARATOR': -71, 'MUL_OP': -71, 'OR': -71, 'RBRACE': -71, 'RPAR': -71, 'RSQB': -71, 'SEMICOLON': -71, '_NL': -71}),  # 146
    (54, {'FALSE': -95, 'LPAR': -95, 'LSQB': -95, 'MINUS': -95, 'NAME': -95, 'NUMBER': -95, 'RSQB': -95, 'STRING': -95, 'TRUE': -95, '_NL': 108}),  # 147
    (51, {'FALSE': -94, 'LPAR': -94, 'LSQB': -94, 'MINUS': -94, 'NAME': -94, 'NUMBER': -94, 'RSQB': -94, 'STRING': -94, 'TRUE': -94, '_NL': 75, '__list_star_3': 152}),  # 148
    (17, {'$END': -74, 'ADD_OP': -74, 'AND': -74, 'COMMA': -74, 'COMPARATOR': -74, 'MUL_OP': -74, 'OR': -74, 'RBRACE': -74, 'RPAR': -74, 'RSQB': -74, 'SEMICOLON': -74, '_NL': -74}),  # 149
    (54, {'FALSE': -89, 'LPAR': -89, 'LSQB': -89, 'MINUS': -89, 'NAME': -89, 'NUMBER': -89, 'RSQB': -89, 'STRING': -89, 'TRUE': -89, '_NL': 108}),  # 150
    (17, {'$END': -68, 'ADD_OP': -68, 'AND': -68, 'COMMA': -68, 'COMPARATOR': -68, 'MUL_OP': -68, 'OR': -68, 'RBRACE': -68, 'RPAR': -68, 'RSQB': -68, 'SEMICOLON': -68, '_NL': -68}),  # 151
    (54, {'FALSE': -93, 'LPAR': -93, 'LSQB': -93, 'MINUS': -93, 'NAME': -93, 'NUMBER': -93, 'RSQB': -93, 'STRING': -93, 'TRUE': -93, '_NL': 108}),  # 152
)
