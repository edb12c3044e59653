# GENERATED from templates/report.txt.j2 by `scripts/compile_templates.py`; do not edit.
# fmt: off
# ruff: noqa
from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'report.txt.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_r = resolve('r')
    l_0__ = resolve('_')
    l_0_columns = resolve('columns')
    l_0_d = resolve('d')
    l_0_color = resolve('color')
    l_0_sources = resolve('sources')
    l_0_paint = l_0_level = missing
    try:
        t_1 = environment.filters['format']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'format' found.")
    try:
        t_2 = environment.filters['join']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'join' found.")
    try:
        t_3 = environment.filters['max']
    except KeyError:
        @internalcode
        def t_3(*unused):
            raise TemplateRuntimeError("No filter named 'max' found.")
    try:
        t_4 = environment.filters['pad']
    except KeyError:
        @internalcode
        def t_4(*unused):
            raise TemplateRuntimeError("No filter named 'pad' found.")
    try:
        t_5 = environment.filters['sum']
    except KeyError:
        @internalcode
        def t_5(*unused):
            raise TemplateRuntimeError("No filter named 'sum' found.")
    try:
        t_6 = environment.filters['textbar']
    except KeyError:
        @internalcode
        def t_6(*unused):
            raise TemplateRuntimeError("No filter named 'textbar' found.")
    try:
        t_7 = environment.filters['texttable']
    except KeyError:
        @internalcode
        def t_7(*unused):
            raise TemplateRuntimeError("No filter named 'texttable' found.")
    try:
        t_8 = environment.filters['trim']
    except KeyError:
        @internalcode
        def t_8(*unused):
            raise TemplateRuntimeError("No filter named 'trim' found.")
    try:
        t_9 = environment.filters['underline']
    except KeyError:
        @internalcode
        def t_9(*unused):
            raise TemplateRuntimeError("No filter named 'underline' found.")
    try:
        t_10 = environment.filters['wrap']
    except KeyError:
        @internalcode
        def t_10(*unused):
            raise TemplateRuntimeError("No filter named 'wrap' found.")
    pass
    def macro(l_1_text, l_1_code):
        t_11 = []
        if l_1_text is missing:
            l_1_text = undefined("parameter 'text' was not provided", name='text')
        if l_1_code is missing:
            l_1_code = undefined("parameter 'code' was not provided", name='code')
        pass
        if (undefined(name='color') if l_0_color is missing else l_0_color):
            pass
            t_11.append(
                str(str_join(('\x1b[', l_1_code, 'm', l_1_text, '\x1b[0m', ))),
            )
        else:
            pass
            t_11.append(
                str(l_1_text),
            )
        return concat(t_11)
    context.exported_vars.add('paint')
    context.vars['paint'] = l_0_paint = Macro(environment, macro, 'paint', ('text', 'code'), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_n):
        t_12 = []
        if l_1_n is missing:
            l_1_n = undefined("parameter 'n' was not provided", name='n')
        pass
        t_12.append(
            str(context.call((undefined(name='paint') if l_0_paint is missing else l_0_paint), environment.getitem({'error': context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Error'), 'warning': context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Warning'), 'info': context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Note')}, environment.getattr(l_1_n, 'level')), environment.getitem({'error': '31', 'warning': '33', 'info': '36'}, environment.getattr(l_1_n, 'level')))),
        )
        return concat(t_12)
    context.exported_vars.add('level')
    context.vars['level'] = l_0_level = Macro(environment, macro, 'level', ('n',), False, False, False, context.eval_ctx.autoescape)
    yield str(context.call((undefined(name='paint') if l_0_paint is missing else l_0_paint), t_9(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'title'), '='), '1'))
    yield '\n'
    yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Specs:'))
    yield str(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'sep'))
    yield str(t_2(context.eval_ctx, environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'files'), ', '))
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'commit'):
        pass
        yield ' · '
        yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'commit'))
        yield ' '
        yield str(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'commit'))
    yield ' · capplan '
    yield str(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'version'))
    yield '\n\n'
    yield str(context.call((undefined(name='paint') if l_0_paint is missing else l_0_paint), (t_10(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'verdict'), (undefined(name='columns') if l_0_columns is missing else l_0_columns)) if (environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'lang') != 'zh') else environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'verdict')), ('1;32' if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'ok') else '1;31')))
    yield '\n'
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'key_figures'):
        pass
        for (l_1_k, l_1_v, l_1_plan) in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'key_figures'):
            _loop_vars = {}
            pass
            yield '  '
            yield str(l_1_k)
            yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), ':', _loop_vars=_loop_vars))
            yield str(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'sep'))
            yield str(l_1_v)
            yield str((str_join((' (', l_1_plan, ')', )) if l_1_plan else ''))
            yield '\n'
        l_1_k = l_1_v = l_1_plan = missing
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'decision'):
        pass
        l_0_d = environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'decision')
        context.vars['d'] = l_0_d
        context.exported_vars.add('d')
        if environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'answers'):
            pass
            yield '\n'
            yield str(t_7(context, environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'answers'), (undefined(name='color') if l_0_color is missing else l_0_color)))
            yield '\n'
        if environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'card'):
            pass
            yield '\n'
            yield str(context.call((undefined(name='paint') if l_0_paint is missing else l_0_paint), environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'card_title'), '1'))
            yield '\n'
            yield str(t_7(context, environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'card')))
            yield '\n'
        if environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'risks'):
            pass
            yield '\n'
        for l_1_n in environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'risks'):
            _loop_vars = {}
            pass
            yield str(t_10(str_join((context.call((undefined(name='level') if l_0_level is missing else l_0_level), l_1_n, _loop_vars=_loop_vars), context.call((undefined(name='_') if l_0__ is missing else l_0__), ':', _loop_vars=_loop_vars), environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'sep'), environment.getattr(l_1_n, 'text'), )), (undefined(name='columns') if l_0_columns is missing else l_0_columns)))
            yield '\n'
        l_1_n = missing
        if environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'fleets'):
            pass
            yield '\n'
            yield str(t_7(context, environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'fleets')))
            yield '\n'
        if environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'prices'):
            pass
            yield '\n'
            yield str(t_7(context, environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'prices')))
            yield '\n'
        if environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'sensitivity'):
            pass
            yield '\n'
            yield str(t_7(context, environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'sensitivity')))
            yield '\n'
            yield str(t_10(environment.getattr(environment.getattr((undefined(name='d') if l_0_d is missing else l_0_d), 'sensitivity'), 'caption'), (undefined(name='columns') if l_0_columns is missing else l_0_columns)))
            yield '\n'
    yield '\n'
    yield str(t_9(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Executive summary'), '-'))
    yield '\n'
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'summary'):
        pass
        yield str(t_7(context, environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'summary'), (undefined(name='color') if l_0_color is missing else l_0_color)))
        yield '\n'
    for l_1_t in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'time_tables'):
        _loop_vars = {}
        pass
        yield '\n'
        yield str(t_7(context, l_1_t))
        yield '\n'
        yield str(t_10(environment.getattr(l_1_t, 'caption'), (undefined(name='columns') if l_0_columns is missing else l_0_columns)))
        yield '\n'
    l_1_t = missing
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'time_notes'):
        pass
        yield '\n'
    for l_1_n in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'time_notes'):
        _loop_vars = {}
        pass
        yield str(t_10(str_join((context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Not available:', _loop_vars=_loop_vars), environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'sep'), environment.getattr(l_1_n, 'text'), )), (undefined(name='columns') if l_0_columns is missing else l_0_columns)))
        yield '\n'
    l_1_n = missing
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'answers'):
        pass
        yield '\n'
        yield str(t_7(context, environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'answers')))
        yield '\n'
    for l_1_p in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'plans'):
        l_1_namespace = resolve('namespace')
        l_1_cap = l_1_ns = missing
        _loop_vars = {}
        pass
        yield '\n\n'
        yield str(context.call((undefined(name='paint') if l_0_paint is missing else l_0_paint), t_9(str_join((environment.getattr(l_1_p, 'kind_label'), ' ', environment.getattr(l_1_p, 'name'), )), '='), '1', _loop_vars=_loop_vars))
        yield '\n'
        yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Declared in', _loop_vars=_loop_vars))
        yield ' '
        yield str(environment.getattr(l_1_p, 'file'))
        yield ':'
        yield str(environment.getattr(l_1_p, 'line'))
        yield '\n'
        yield str(t_10(environment.getattr(l_1_p, 'headline'), (undefined(name='columns') if l_0_columns is missing else l_0_columns)))
        yield '\n'
        yield str(context.call((undefined(name='paint') if l_0_paint is missing else l_0_paint), environment.getattr(l_1_p, 'verdict'), ('32' if environment.getattr(l_1_p, 'fits') else '31'), _loop_vars=_loop_vars))
        yield '\n'
        for l_2_n in environment.getattr(l_1_p, 'notes'):
            _loop_vars = {}
            pass
            yield '  '
            yield str(context.call((undefined(name='level') if l_0_level is missing else l_0_level), l_2_n, _loop_vars=_loop_vars))
            yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), ':', _loop_vars=_loop_vars))
            yield str(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'sep'))
            yield str(t_8(t_10(environment.getattr(l_2_n, 'text'), ((undefined(name='columns') if l_0_columns is missing else l_0_columns) - 4), '    ')))
            yield '\n'
        l_2_n = missing
        yield '\n'
        yield str(t_9(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Model', _loop_vars=_loop_vars), '-'))
        yield '\n'
        yield str(environment.getattr(environment.getattr(l_1_p, 'model'), 'display_name'))
        yield ' ('
        yield str(environment.getattr(environment.getattr(l_1_p, 'model'), 'name'))
        yield '): '
        yield str(environment.getattr(environment.getattr(l_1_p, 'model'), 'total'))
        yield ' '
        yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'parameters', _loop_vars=_loop_vars))
        if environment.getattr(environment.getattr(l_1_p, 'model'), 'exact'):
            pass
            yield ' ('
            yield str(environment.getattr(environment.getattr(l_1_p, 'model'), 'total_exact'))
            yield ')'
        if environment.getattr(environment.getattr(l_1_p, 'model'), 'active'):
            pass
            yield '; '
            yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'active per token:', _loop_vars=_loop_vars))
            yield str(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'sep'))
            yield str(environment.getattr(environment.getattr(l_1_p, 'model'), 'active'))
        yield '\n'
        if environment.getattr(environment.getattr(l_1_p, 'model'), 'components'):
            pass
            yield str(t_7(context, environment.getattr(environment.getattr(l_1_p, 'model'), 'components'), (undefined(name='color') if l_0_color is missing else l_0_color)))
            yield '\n\n'
        if environment.getattr(environment.getattr(l_1_p, 'model'), 'architecture'):
            pass
            yield str(t_7(context, environment.getattr(environment.getattr(l_1_p, 'model'), 'architecture')))
            yield '\n\n'
        yield str(t_9(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Hardware', _loop_vars=_loop_vars), '-'))
        yield '\n'
        yield str(t_7(context, environment.getattr(l_1_p, 'hardware')))
        yield '\n\n'
        yield str(t_9(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Layout', _loop_vars=_loop_vars), '-'))
        yield '\n'
        yield str(t_7(context, environment.getattr(l_1_p, 'layout')))
        yield '\n\n'
        yield str(t_9(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Precision', _loop_vars=_loop_vars), '-'))
        yield '\n'
        yield str(t_7(context, environment.getattr(l_1_p, 'precision')))
        yield '\n\n'
        yield str(t_9(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Memory per GPU', _loop_vars=_loop_vars), '-'))
        yield '\n'
        l_1_cap = environment.getattr(environment.getitem(environment.getattr(environment.getattr(environment.getattr(l_1_p, 'memory_chart'), 'spec'), 'lines'), 0), 'value')
        _loop_vars['cap'] = l_1_cap
        l_1_ns = context.call((undefined(name='namespace') if l_1_namespace is missing else l_1_namespace), scale=(undefined(name='cap') if l_1_cap is missing else l_1_cap), _loop_vars=_loop_vars)
        _loop_vars['ns'] = l_1_ns
        for l_2_bar in environment.getattr(environment.getattr(environment.getattr(l_1_p, 'memory_chart'), 'spec'), 'bars'):
            _loop_vars = {}
            pass
            if not isinstance(l_1_ns, Namespace):
                raise TemplateRuntimeError("cannot assign attribute on non-namespace object")
            l_1_ns['scale'] = t_3(environment, [environment.getattr((undefined(name='ns') if l_1_ns is missing else l_1_ns), 'scale'), t_5(environment, environment.getitem(l_2_bar, 'values'))])
        l_2_bar = missing
        for l_2_bar in environment.getattr(environment.getattr(environment.getattr(l_1_p, 'memory_chart'), 'spec'), 'bars'):
            l_2_total = missing
            _loop_vars = {}
            pass
            l_2_total = t_5(environment, environment.getitem(l_2_bar, 'values'))
            _loop_vars['total'] = l_2_total
            yield '  '
            yield str(t_4(environment.getattr(l_2_bar, 'label'), 10))
            yield ' '
            yield str(t_6((undefined(name='total') if l_2_total is missing else l_2_total), (undefined(name='cap') if l_1_cap is missing else l_1_cap), environment.getattr((undefined(name='ns') if l_1_ns is missing else l_1_ns), 'scale'), (undefined(name='color') if l_0_color is missing else l_0_color)))
            yield ' '
            yield str(t_1('%.1f', (undefined(name='total') if l_2_total is missing else l_2_total)))
            yield ' / '
            yield str(t_1('%.1f', (undefined(name='cap') if l_1_cap is missing else l_1_cap)))
            yield ' '
            yield str(environment.getattr(environment.getattr(environment.getattr(l_1_p, 'memory_chart'), 'spec'), 'unit'))
            yield '\n'
        l_2_bar = l_2_total = missing
        yield '\n'
        yield str(t_7(context, environment.getattr(environment.getattr(l_1_p, 'memory_chart'), 'table'), (undefined(name='color') if l_0_color is missing else l_0_color)))
        yield '\n\n'
        if environment.getattr(l_1_p, 'serving'):
            pass
            yield str(t_9(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Serving capacity', _loop_vars=_loop_vars), '-'))
            yield '\n'
            yield str(t_7(context, environment.getattr(l_1_p, 'serving')))
            yield '\n\n'
        yield str(t_9(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Memory vs sequence length and batch size', _loop_vars=_loop_vars), '-'))
        yield '\n'
        for l_2_c in environment.getattr(l_1_p, 'curves'):
            _loop_vars = {}
            pass
            yield str(environment.getattr(l_2_c, 'title'))
            yield '\n'
            yield str(t_10(environment.getattr(environment.getattr(l_2_c, 'table'), 'caption'), (undefined(name='columns') if l_0_columns is missing else l_0_columns)))
            yield '\n'
            yield str(t_7(context, environment.getattr(l_2_c, 'table'), (undefined(name='color') if l_0_color is missing else l_0_color)))
            yield '\n\n'
        l_2_c = missing
        if environment.getattr(l_1_p, 'curves_note'):
            pass
            yield str(t_10(environment.getattr(l_1_p, 'curves_note'), (undefined(name='columns') if l_0_columns is missing else l_0_columns)))
            yield '\n\n'
        if environment.getattr(l_1_p, 'time'):
            pass
            yield str(t_9(environment.getattr(environment.getattr(l_1_p, 'time'), 'title'), '-'))
            yield '\n'
            if environment.getattr(environment.getattr(l_1_p, 'time'), 'available'):
                pass
                if environment.getattr(environment.getattr(l_1_p, 'time'), 'chart'):
                    pass
                    yield str(environment.getattr(environment.getattr(environment.getattr(l_1_p, 'time'), 'chart'), 'title'))
                    yield '\n'
                    yield str(t_7(context, environment.getattr(environment.getattr(environment.getattr(l_1_p, 'time'), 'chart'), 'table'), (undefined(name='color') if l_0_color is missing else l_0_color)))
                    yield '\n\n'
                yield str(t_7(context, environment.getattr(environment.getattr(l_1_p, 'time'), 'table')))
                yield '\n'
                if environment.getattr(environment.getattr(l_1_p, 'time'), 'bases'):
                    pass
                    yield '\n'
                    yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Cost on each basis: on demand, reserved, owned', _loop_vars=_loop_vars))
                    yield '\n'
                    yield str(t_7(context, environment.getattr(environment.getattr(l_1_p, 'time'), 'bases')))
                    yield '\n'
            else:
                pass
                yield str(t_10(str_join((context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Not available:', _loop_vars=_loop_vars), environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'sep'), context.call((undefined(name='_') if l_0__ is missing else l_0__), 'the engine could not estimate time or cost for this plan: %(reason)s.', reason=environment.getattr(environment.getattr(l_1_p, 'time'), 'reason'), _loop_vars=_loop_vars), )), (undefined(name='columns') if l_0_columns is missing else l_0_columns)))
                yield '\n'
            yield '\n'
        if environment.getattr(l_1_p, 'requirements'):
            pass
            yield '\n'
            yield str(t_9(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Requirements', _loop_vars=_loop_vars), '-'))
            yield '\n'
            yield str(t_7(context, environment.getattr(l_1_p, 'requirements'), (undefined(name='color') if l_0_color is missing else l_0_color)))
            yield '\n'
    l_1_p = l_1_cap = l_1_namespace = l_1_ns = missing
    for l_1_s in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'searches'):
        _loop_vars = {}
        pass
        yield '\n\n'
        yield str(context.call((undefined(name='paint') if l_0_paint is missing else l_0_paint), t_9(str_join((context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Strategy search', _loop_vars=_loop_vars), ' ', environment.getattr(l_1_s, 'name'), )), '='), '1', _loop_vars=_loop_vars))
        yield '\n'
        yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'For plan', _loop_vars=_loop_vars))
        yield ' '
        yield str(environment.getattr(l_1_s, 'target'))
        yield ' · '
        yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Declared in', _loop_vars=_loop_vars))
        yield ' '
        yield str(environment.getattr(l_1_s, 'file'))
        yield ':'
        yield str(environment.getattr(l_1_s, 'line'))
        yield '\n'
        yield str(t_10(environment.getattr(l_1_s, 'summary'), (undefined(name='columns') if l_0_columns is missing else l_0_columns)))
        yield '\n'
        yield str(t_10(context.call((undefined(name='paint') if l_0_paint is missing else l_0_paint), str_join(((str_join((context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Best layout:', _loop_vars=_loop_vars), environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'sep'), )) if environment.getattr(l_1_s, 'best') else ''), environment.getattr(l_1_s, 'answer'), )), ('32' if environment.getattr(l_1_s, 'best') else '31'), _loop_vars=_loop_vars), (undefined(name='columns') if l_0_columns is missing else l_0_columns)))
        yield '\n'
        if environment.getattr(l_1_s, 'top'):
            pass
            yield '\n'
            yield str(t_9(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Top layouts', _loop_vars=_loop_vars), '-'))
            yield '\n'
            yield str(t_7(context, environment.getattr(l_1_s, 'top'), (undefined(name='color') if l_0_color is missing else l_0_color)))
            yield '\n'
        if environment.getattr(l_1_s, 'pareto'):
            pass
            yield '\n'
            yield str(t_9(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Pareto front: GPUs, step time and cost', _loop_vars=_loop_vars), '-'))
            yield '\n'
            yield str(t_7(context, environment.getattr(l_1_s, 'pareto')))
            yield '\n'
        if environment.getattr(l_1_s, 'rejected'):
            pass
            yield '\n'
            yield str(t_9(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Rejected layouts', _loop_vars=_loop_vars), '-'))
            yield '\n'
            yield str(t_7(context, environment.getattr(l_1_s, 'rejected')))
            yield '\n'
    l_1_s = missing
    for l_1_g in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'goals'):
        _loop_vars = {}
        pass
        yield '\n\n'
        yield str(context.call((undefined(name='paint') if l_0_paint is missing else l_0_paint), t_9(str_join((context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Procurement', _loop_vars=_loop_vars), ' ', environment.getattr(l_1_g, 'name'), )), '='), '1', _loop_vars=_loop_vars))
        yield '\n'
        yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'For plan', _loop_vars=_loop_vars))
        yield ' '
        yield str(environment.getattr(l_1_g, 'target'))
        yield ' · '
        yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Declared in', _loop_vars=_loop_vars))
        yield ' '
        yield str(environment.getattr(l_1_g, 'file'))
        yield ':'
        yield str(environment.getattr(l_1_g, 'line'))
        yield '\n'
        yield str(t_10(environment.getattr(l_1_g, 'question'), (undefined(name='columns') if l_0_columns is missing else l_0_columns)))
        yield '\n'
        yield str(t_10(context.call((undefined(name='paint') if l_0_paint is missing else l_0_paint), str_join(((str_join((context.call((undefined(name='_') if l_0__ is missing else l_0__), 'First choice:', _loop_vars=_loop_vars), environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'sep'), )) if environment.getattr(l_1_g, 'found') else ''), environment.getattr(l_1_g, 'answer'), )), ('32' if environment.getattr(l_1_g, 'found') else '31'), _loop_vars=_loop_vars), (undefined(name='columns') if l_0_columns is missing else l_0_columns)))
        yield '\n\n'
        yield str(t_9(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Ranked options', _loop_vars=_loop_vars), '-'))
        yield '\n'
        yield str(t_7(context, environment.getattr(l_1_g, 'options'), (undefined(name='color') if l_0_color is missing else l_0_color)))
        yield '\n'
        if environment.getattr(environment.getattr(l_1_g, 'options'), 'caption'):
            pass
            yield str(t_10(environment.getattr(environment.getattr(l_1_g, 'options'), 'caption'), (undefined(name='columns') if l_0_columns is missing else l_0_columns)))
            yield '\n'
    l_1_g = missing
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'models'):
        pass
        yield '\n\n'
        yield str(context.call((undefined(name='paint') if l_0_paint is missing else l_0_paint), t_9(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Models'), '='), '1'))
        yield '\n'
        for l_1_model in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'models'):
            _loop_vars = {}
            pass
            yield str(environment.getattr(l_1_model, 'display_name'))
            yield ' ('
            yield str(environment.getattr(l_1_model, 'name'))
            yield '): '
            yield str(environment.getattr(l_1_model, 'total'))
            yield ' '
            yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'parameters', _loop_vars=_loop_vars))
            yield ' ('
            yield str(environment.getattr(l_1_model, 'total_exact'))
            yield ')'
            if environment.getattr(l_1_model, 'active'):
                pass
                yield '; '
                yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'active per token:', _loop_vars=_loop_vars))
                yield str(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'sep'))
                yield str(environment.getattr(l_1_model, 'active'))
            yield '\n'
            if environment.getattr(l_1_model, 'components'):
                pass
                yield str(t_7(context, environment.getattr(l_1_model, 'components')))
                yield '\n\n'
        l_1_model = missing
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'notes'):
        pass
        yield '\n\n'
        yield str(context.call((undefined(name='paint') if l_0_paint is missing else l_0_paint), t_9(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Diagnostics'), '='), '1'))
        yield '\n'
        for l_1_n in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'notes'):
            _loop_vars = {}
            pass
            yield '  '
            yield str(context.call((undefined(name='level') if l_0_level is missing else l_0_level), l_1_n, _loop_vars=_loop_vars))
            yield str(context.call((undefined(name='_') if l_0__ is missing else l_0__), ':', _loop_vars=_loop_vars))
            yield str(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'sep'))
            yield str(t_8(t_10(environment.getattr(l_1_n, 'text'), ((undefined(name='columns') if l_0_columns is missing else l_0_columns) - 4), '    ')))
            yield '\n'
        l_1_n = missing
    yield '\n'
    if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'appendix'):
        pass
        yield '\n'
        yield str(context.call((undefined(name='paint') if l_0_paint is missing else l_0_paint), t_9(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Appendix: assumptions and provenance'), '='), '1'))
        yield '\n'
        yield str(t_9(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Assumed constants'), '-'))
        yield '\n'
        yield str(t_7(context, environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'constants')))
        yield '\n'
        if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'time_constants'):
            pass
            yield '\n'
            yield str(t_9(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Assumed constants of the time model'), '-'))
            yield '\n'
            yield str(t_7(context, environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'time_constants')))
            yield '\n'
        for l_1_p in environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'plans'):
            _loop_vars = {}
            pass
            yield '\n'
            yield str(t_9(str_join((environment.getattr(l_1_p, 'kind_label'), ' ', environment.getattr(l_1_p, 'name'), )), '-'))
            yield '\n'
            yield str(t_7(context, environment.getattr(l_1_p, 'figures'), (undefined(name='color') if l_0_color is missing else l_0_color), 48))
            yield '\n'
        l_1_p = missing
        yield '\n\n'
        yield str(context.call((undefined(name='paint') if l_0_paint is missing else l_0_paint), t_9(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'Appendix: source specs'), '='), '1'))
        yield '\n'
        if environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'lexer_note'):
            pass
            yield str(t_10(environment.getattr((undefined(name='r') if l_0_r is missing else l_0_r), 'lexer_note'), (undefined(name='columns') if l_0_columns is missing else l_0_columns)))
            yield '\n'
        for (l_1_s, l_1_code) in (undefined(name='sources') if l_0_sources is missing else l_0_sources):
            _loop_vars = {}
            pass
            yield '\n'
            yield str(t_9(environment.getattr(l_1_s, 'path'), '-'))
            yield '\n'
            yield str(l_1_code)
        l_1_s = l_1_code = missing
    else:
        pass
        yield '\n'
        yield str(t_10(context.call((undefined(name='_') if l_0__ is missing else l_0__), 'The appendix (assumptions, provenance and source specs) is left out; render with --appendix to include it.'), (undefined(name='columns') if l_0_columns is missing else l_0_columns)))
        yield '\n'

blocks = {}
debug_info = '2=78&3=98&4=109&5=111&7=123&8=125&9=127&10=131&13=138&14=140&15=143&17=146&19=148&21=151&22=153&24=155&27=158&28=161&30=164&32=167&34=169&36=172&38=174&40=177&41=179&45=182&46=184&47=186&49=188&51=192&52=194&54=197&57=200&58=203&60=206&62=209&64=211&67=217&68=219&69=225&70=227&71=229&72=233&75=240&76=242&78=261&79=263&82=265&83=267&86=269&87=271&89=273&90=275&92=277&93=279&95=281&96=283&97=285&98=287&99=294&100=298&101=301&104=313&106=315&107=317&108=319&111=321&112=323&113=326&114=328&115=330&118=333&119=335&122=337&123=339&124=341&125=343&126=345&127=347&130=349&131=351&133=354&134=356&137=360&141=363&143=366&144=368&147=371&150=375&151=377&152=387&153=389&154=391&156=394&157=396&159=398&161=401&162=403&164=405&166=408&167=410&170=413&173=417&174=419&175=429&176=431&178=433&179=435&180=437&181=439&184=442&187=445&188=447&189=450&191=467&192=469&197=472&200=475&201=477&202=481&206=488&208=491&209=493&210=495&211=497&213=500&214=502&216=504&218=508&219=510&223=514&224=516&225=518&227=520&229=524&230=526&233=531'
