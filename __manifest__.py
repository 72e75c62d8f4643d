# -*- coding: utf-8 -*-
{
    'name': 'Shop Floor MES',
    'summary': 'Manufacturing execution on Odoo\'s own work orders: operator terminals, '
               'event inbox, labor and machine time, scrap, downtime',
    'version': '11.0.1.0.0',
    'category': 'Manufacturing',
    'license': 'LGPL-3',
    'author': 'shopfloor_mes developers',
    'depends': [
        'mrp', 'stock_account', 'account', 'hr', 'hr_attendance', 'hr_timesheet', 'maintenance',
    ],
    'data': [
        'security/groups.xml',
        'security/ir.model.access.csv',
        'security/rules.xml',
        'data/mes_reason_data.xml',
        'data/mes_config_data.xml',
        'views/mes_reason_views.xml',
        'views/mes_terminal_views.xml',
        'views/mes_event_views.xml',
        'views/mes_labor_log_views.xml',
        'views/mrp_workcenter_views.xml',
        'views/mrp_workorder_views.xml',
        'views/hr_employee_views.xml',
        'views/menus.xml',
    ],
    'demo': [
        'demo/mes_demo_factory.xml',
        'demo/mes_demo_people.xml',
        'demo/mes_demo_orders.xml',
    ],
    'installable': True,
    'application': True,
}
